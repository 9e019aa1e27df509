import { loadSharp } from '@vad/core';
import type { LoadedImage } from './dataset.js';

/** Extra views of each training image for few-shot fits. */
export type Augmentation = 'flip-horizontal' | 'flip-vertical' | 'rotate-90' | 'rotate-180' | 'rotate-270';
export const augmentations: readonly Augmentation[] = ['flip-horizontal', 'flip-vertical', 'rotate-90', 'rotate-180', 'rotate-270'];

/** The image transformed by sharp (rotations of a square input keep its size). */
export async function augmentImage(image: LoadedImage, augmentation: Augmentation): Promise<LoadedImage> {
  const sharp = await loadSharp();
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  if (augmentation === 'flip-horizontal') pipeline = pipeline.flop();
  else if (augmentation === 'flip-vertical') pipeline = pipeline.flip();
  else pipeline = pipeline.rotate(Number(augmentation.slice('rotate-'.length)));
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { ...image, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}
