import type { Sharp } from 'sharp';
import { loadSharp, VadImage } from '../image.js';

/**
 * Resize, rotate and flip in libvips. The result keeps the input's id and video frame, as Roboflow's
 * transformed images keep their parent and video metadata (a classification of a resized crop still
 * pairs with the crop's detection), but not its lineage: after a resize or rotation the offset in the parent no
 * longer places its pixels.
 */
async function transformed(image: VadImage, apply: (pipeline: Sharp) => Sharp): Promise<VadImage> {
  const sharp = await loadSharp();
  const { data, width, height } = await image.pixels();
  const { data: out, info } = await apply(sharp(data, { raw: { width, height, channels: 3 } }))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return VadImage.fromPixels({ data: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), width: info.width, height: info.height }, { id: image.id, videoMetadata: image.videoMetadata });
}

export type ResizeFit = 'fill' | 'inside' | 'cover' | 'contain';

/** `fit` has sharp's meaning: fill stretches, inside keeps the aspect within the box. */
export function resizeImage(image: VadImage, size: { width: number; height: number; fit?: ResizeFit }): Promise<VadImage> {
  return transformed(image, (pipeline) => pipeline.resize(size.width, size.height, { fit: size.fit ?? 'fill', kernel: 'lanczos3' }));
}

/**
 * Rotates by `degrees` counter-clockwise (OpenCV's sign, which Roboflow's rotation follows) onto a
 * canvas that holds the whole image, black where nothing falls. Right angles move pixels exactly;
 * other angles interpolate bilinearly, on Roboflow's canvas size `int(h·|sin| + w·|cos|)` × `int(h·|cos| + w·|sin|)`.
 */
export async function rotateImage(image: VadImage, degrees: number): Promise<VadImage> {
  const turned = await transformed(image, (pipeline) => pipeline.rotate(-degrees, { background: { r: 0, g: 0, b: 0 } }));
  if (degrees % 90 === 0) return turned;
  const radians = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.abs(Math.cos(radians)), Math.abs(Math.sin(radians))];
  const width = Math.min(turned.width, Math.trunc(image.height * sin + image.width * cos));
  const height = Math.min(turned.height, Math.trunc(image.height * cos + image.width * sin));
  if (width === turned.width && height === turned.height) return turned;
  // libvips's bounding box can be a pixel wider than OpenCV's truncated one.
  return transformed(turned, (pipeline) => pipeline.extract({ left: 0, top: 0, width, height }));
}

export type FlipType = 'vertical' | 'horizontal' | 'both';

/** `vertical` turns the image upside down, `horizontal` mirrors it left to right. */
export function flipImage(image: VadImage, flip: FlipType): Promise<VadImage> {
  return transformed(image, (pipeline) => pipeline.flip(flip !== 'horizontal').flop(flip !== 'vertical'));
}
