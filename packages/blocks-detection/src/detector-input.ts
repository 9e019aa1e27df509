import { loadSharp, type VadImage } from '@vad/core';

/** How an image becomes the detector's input tensor. */
export interface DetectorInputOptions {
  width: number;
  height: number;
  /** `letterbox` keeps the aspect ratio and pads; `stretch` resizes to the input size. */
  resize: 'letterbox' | 'stretch';
  /** Where a letterboxed image sits: centred (Ultralytics, NanoDet) or top-left (YOLOX). */
  position: 'center' | 'top_left';
  /** Padding grey level, 0–255. */
  padValue: number;
  channelOrder: 'rgb' | 'bgr';
  /** Per channel, in the model's channel order and in 0–255 units: (pixel − mean) / std. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/** The affine map from network-input pixels back to image pixels: x_image = (x_input − padX) / scaleX. */
export interface InputMapping {
  scaleX: number;
  scaleY: number;
  padX: number;
  padY: number;
  imageWidth: number;
  imageHeight: number;
}

export interface DetectorInput {
  /** NCHW float32, [1, 3, height, width]. */
  tensor: Float32Array;
  mapping: InputMapping;
}

/**
 * Resizes (libvips) and pads an image into a planar float tensor. The mapping uses the resized
 * size actually produced (after rounding), so mapping boxes back is exact.
 */
export async function prepareDetectorInput(image: VadImage, options: DetectorInputOptions): Promise<DetectorInput> {
  const sharp = await loadSharp();
  const { data, width, height } = await image.pixels();
  const scale = Math.min(options.width / width, options.height / height);
  const resizedWidth = options.resize === 'stretch' ? options.width : Math.min(options.width, Math.max(1, Math.round(width * scale)));
  const resizedHeight = options.resize === 'stretch' ? options.height : Math.min(options.height, Math.max(1, Math.round(height * scale)));
  const padX = options.position === 'center' ? Math.floor((options.width - resizedWidth) / 2) : 0;
  const padY = options.position === 'center' ? Math.floor((options.height - resizedHeight) / 2) : 0;
  const pad = options.padValue;
  const { data: pixels } = await sharp(data, { raw: { width, height, channels: 3 } })
    .resize(resizedWidth, resizedHeight, { fit: 'fill', kernel: 'linear' })
    .extend({ left: padX, top: padY, right: options.width - resizedWidth - padX, bottom: options.height - resizedHeight - padY, background: { r: pad, g: pad, b: pad } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const area = options.width * options.height;
  const tensor = new Float32Array(3 * area);
  const sourceChannel = options.channelOrder === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  for (let c = 0; c < 3; c++) {
    const from = sourceChannel[c]!;
    const mean = options.mean[c]!;
    const inverseStd = 1 / options.std[c]!;
    const plane = tensor.subarray(c * area, (c + 1) * area);
    for (let i = 0; i < area; i++) plane[i] = (pixels[i * 3 + from]! - mean) * inverseStd;
  }
  return {
    tensor,
    mapping: { scaleX: resizedWidth / width, scaleY: resizedHeight / height, padX, padY, imageWidth: width, imageHeight: height },
  };
}

/** Moves corner boxes from network-input pixels to image pixels, clipped to the image (in place). */
export function mapBoxesToImage(corners: Float32Array, count: number, mapping: InputMapping): void {
  const { scaleX, scaleY, padX, padY, imageWidth, imageHeight } = mapping;
  for (let i = 0; i < count; i++) {
    corners[i * 4] = Math.min(imageWidth, Math.max(0, (corners[i * 4]! - padX) / scaleX));
    corners[i * 4 + 1] = Math.min(imageHeight, Math.max(0, (corners[i * 4 + 1]! - padY) / scaleY));
    corners[i * 4 + 2] = Math.min(imageWidth, Math.max(0, (corners[i * 4 + 2]! - padX) / scaleX));
    corners[i * 4 + 3] = Math.min(imageHeight, Math.max(0, (corners[i * 4 + 3]! - padY) / scaleY));
  }
}
