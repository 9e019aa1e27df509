import { loadSharp, type VadImage } from '@vad/core';

/** A one-channel image of 0 (black) and 255 (white), row-major. */
export interface BinaryImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

type Sharp = import('sharp').Sharp;

async function oneChannel(image: BinaryImage, operation: (pipeline: Sharp) => Sharp): Promise<BinaryImage> {
  const sharp = await loadSharp();
  const { width, height } = image;
  // sharp may widen a one-band raw image to sRGB on the way out; band 0 is the result either way.
  const data = await operation(sharp(image.data, { raw: { width, height, channels: 1 } })).extractChannel(0).raw().toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height };
}

/** Grey levels above `threshold` become white, the rest black (libvips). */
export async function binarize(image: VadImage, threshold: number): Promise<BinaryImage> {
  const sharp = await loadSharp();
  const { data, width, height } = await image.pixels();
  const out = await sharp(data, { raw: { width, height, channels: 3 } }).threshold(threshold, { greyscale: true }).extractChannel(0).raw().toBuffer();
  return { data: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), width, height };
}

/**
 * White regions grown by `radius` pixels (a maximum filter). sharp's `dilate`/`erode` treat black
 * as the foreground (measured: `dilate` shrinks white), so growing white is libvips' erode.
 */
export function growWhite(image: BinaryImage, radius: number): Promise<BinaryImage> {
  return radius > 0 ? oneChannel(image, (p) => p.erode(radius)) : Promise.resolve(image);
}

/** White regions shrunk by `radius` pixels (a minimum filter). */
export function shrinkWhite(image: BinaryImage, radius: number): Promise<BinaryImage> {
  return radius > 0 ? oneChannel(image, (p) => p.dilate(radius)) : Promise.resolve(image);
}

/** Morphological opening of the white regions: removes white parts thinner than about 2·radius + 1. */
export async function openWhite(image: BinaryImage, radius: number): Promise<BinaryImage> {
  return growWhite(await shrinkWhite(image, radius), radius);
}

/** Black and white swapped (libvips). */
export function invert(image: BinaryImage): Promise<BinaryImage> {
  return oneChannel(image, (p) => p.negate({ alpha: false }));
}

/**
 * Pixel-wise boolean of two binary images (libvips). sharp applies `boolean` after every other
 * operation of a pipeline, so a negation must run in a pipeline of its own first (`invert`).
 */
export function combine(a: BinaryImage, b: BinaryImage, operation: 'and' | 'or' | 'eor'): Promise<BinaryImage> {
  const raw = { width: b.width, height: b.height, channels: 1 as const };
  return oneChannel(a, (p) => p.boolean(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength), operation, { raw }));
}

/** Gaussian blur of a binary image to a 0–1 float map (libvips). */
export async function blurToMap(image: BinaryImage, sigma: number): Promise<Float32Array> {
  const blurred = sigma > 0 ? await oneChannel(image, (p) => p.blur(sigma)) : image;
  const map = new Float32Array(blurred.data.length);
  for (let i = 0; i < map.length; i++) map[i] = blurred.data[i]! / 255;
  return map;
}
