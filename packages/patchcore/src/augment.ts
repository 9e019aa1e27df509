import { InvalidInputError, loadSharp } from '@vad/core';
import type { LoadedImage } from './read-image.js';

/**
 * Extra views of each training image: flips and rotations (few-shot), and exposure changes
 * (`darker` × 0.65, `brighter` × 1.5 on pixel values, clipped) for scenes whose lighting varies.
 */
export type Augmentation = 'flip-horizontal' | 'flip-vertical' | 'rotate-90' | 'rotate-180' | 'rotate-270' | 'darker' | 'brighter';
export const augmentations: readonly Augmentation[] = ['flip-horizontal', 'flip-vertical', 'rotate-90', 'rotate-180', 'rotate-270', 'darker', 'brighter'];

/** Pixel-value factors of the exposure views, in the bank (`darker`, `brighter`) and in the default scoring's search (chosen on magnetic tile; BENCHMARKS.md). */
export const exposureViewGains = { darker: 0.65, brighter: 1.5 } as const;
const exposureGains: Partial<Record<Augmentation, number>> = exposureViewGains;

/** Checks augmentation names, naming an unknown one and those that exist. */
export function checkAugmentations(names: readonly string[]): void {
  for (const name of names) {
    if (!(augmentations as readonly string[]).includes(name)) {
      throw new InvalidInputError({ message: `unknown augmentation "${name}"; known: ${augmentations.join(', ')}`, property: 'augmentations' });
    }
  }
}

/** The image transformed by sharp (rotations of a square input keep its size). */
export async function augmentImage(image: LoadedImage, augmentation: Augmentation): Promise<LoadedImage> {
  const gain = exposureGains[augmentation];
  if (gain !== undefined) return withGain(image, gain);
  const sharp = await loadSharp();
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  if (augmentation === 'flip-horizontal') pipeline = pipeline.flop();
  else if (augmentation === 'flip-vertical') pipeline = pipeline.flip();
  else pipeline = pipeline.rotate(Number(augmentation.slice('rotate-'.length)));
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { ...image, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** Pixel values times `gain`, clipped to 0–255 (sharp `linear`, libvips). */
export async function withGain<Image extends Pick<LoadedImage, 'data' | 'width' | 'height'>>(image: Image, gain: number): Promise<Image> {
  const sharp = await loadSharp();
  const { data } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).linear(gain, 0).raw().toBuffer({ resolveWithObject: true });
  return { ...image, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}
