import { loadSharp, type VadImage } from '@vad/core';
import { preprocessImages, type ImageTransform, type PreprocessOptions } from '@vad/models';

export interface DetectorInput {
  /** NCHW float32, [1, 3, height, width]. */
  tensor: Float32Array;
  /** Where the image landed in the input: `inputX = sourceX · scaleX + offsetX` (exact, from @vad/models). */
  transform: ImageTransform;
  /** The image's own size, to clip mapped boxes (the transform's source may include bottom-right padding). */
  imageWidth: number;
  imageHeight: number;
}

/**
 * Resize, pad, channel order and normalisation by @vad/models' `preprocessImages`. With
 * `position: 'top_left'` (YOLOX, which was trained with bottom-right padding) the image is first
 * padded at its right or bottom to the input's aspect ratio, so the letterbox adds no bars and the
 * image sits at the top-left; the origin is unchanged, so the transform still maps back exactly.
 */
export async function prepareDetectorInput(image: VadImage, options: PreprocessOptions & { position?: 'center' | 'top_left' }): Promise<DetectorInput> {
  const { position, ...preprocess } = options;
  let source: VadImage | { data: Uint8Array; width: number; height: number } = image;
  if (position === 'top_left' && preprocess.resize === 'letterbox') {
    const scale = Math.min(options.width / image.width, options.height / image.height);
    const paddedWidth = Math.max(image.width, Math.round(options.width / scale));
    const paddedHeight = Math.max(image.height, Math.round(options.height / scale));
    if (paddedWidth !== image.width || paddedHeight !== image.height) {
      const sharp = await loadSharp();
      const { data, width, height } = await image.pixels();
      const [r, g, b] = preprocess.padColor ?? [114, 114, 114];
      const padded = await sharp(data, { raw: { width, height, channels: 3 } })
        .extend({ right: paddedWidth - width, bottom: paddedHeight - height, background: { r, g, b } })
        .raw()
        .toBuffer();
      source = { data: new Uint8Array(padded.buffer, padded.byteOffset, padded.byteLength), width: paddedWidth, height: paddedHeight };
    }
  }
  const { tensor, transforms } = await preprocessImages([source], { ...preprocess, layout: 'nchw' });
  return { tensor: tensor.data, transform: transforms[0]!, imageWidth: image.width, imageHeight: image.height };
}

/** Moves corner boxes from network-input pixels to image pixels, clipped to the image (in place). */
export function mapBoxesToImage(corners: Float32Array, count: number, input: Pick<DetectorInput, 'transform' | 'imageWidth' | 'imageHeight'>): void {
  const { scaleX, scaleY, offsetX, offsetY } = input.transform;
  const { imageWidth, imageHeight } = input;
  for (let i = 0; i < count; i++) {
    corners[i * 4] = Math.min(imageWidth, Math.max(0, (corners[i * 4]! - offsetX) / scaleX));
    corners[i * 4 + 1] = Math.min(imageHeight, Math.max(0, (corners[i * 4 + 1]! - offsetY) / scaleY));
    corners[i * 4 + 2] = Math.min(imageWidth, Math.max(0, (corners[i * 4 + 2]! - offsetX) / scaleX));
    corners[i * 4 + 3] = Math.min(imageHeight, Math.max(0, (corners[i * 4 + 3]! - offsetY) / scaleY));
  }
}
