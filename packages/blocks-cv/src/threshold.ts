import type { VadImage } from '@vad/core';
import { fixedPointGaussianKernel } from './gaussian-kernel.js';
import { grayBytes } from './grayscale.js';
import { bandOf, bytesOf, imageLike, pipelineOf, squareKernel } from './pixels.js';

export const thresholdTypes = ['binary', 'binary_inv', 'trunc', 'tozero', 'tozero_inv', 'adaptive_mean', 'adaptive_gaussian', 'otsu'] as const;
export type ThresholdType = (typeof thresholdTypes)[number];

type Raw = { data: Uint8Array; width: number; height: number };

/** 255 where a band is above `level`, else 0 (OpenCV compares after flooring the threshold). */
async function above({ data, width, height }: Raw, level: number): Promise<Uint8Array> {
  if (level < 0) return new Uint8Array(data.length).fill(255);
  if (level >= 255) return new Uint8Array(data.length);
  return bytesOf((await pipelineOf(data, width, height)).threshold(level + 1, { grayscale: false }));
}

/** A 0/255 mask mapped to `low` where 0 and `high` where 255 (the + 0.5: libvips' cast truncates). */
async function mapMask(mask: Uint8Array, { width, height }: Raw, low: number, high: number): Promise<Uint8Array> {
  return bytesOf((await pipelineOf(mask, width, height)).linear((high - low) / 255, low + 0.5));
}

async function bitwise(a: Uint8Array, b: Uint8Array, { width, height }: Raw, operator: 'and' | 'or'): Promise<Uint8Array> {
  return bytesOf((await pipelineOf(a, width, height)).boolean(Buffer.from(b.buffer, b.byteOffset, b.byteLength), operator, { raw: { width, height, channels: 3 } }));
}

/**
 * OpenCV's `threshold` for 8-bit images, band by band, in libvips: a 0/255 mask of the pixels above
 * the threshold, then mapped (binary, binary_inv) or combined with the pixels by bitwise and/or
 * (trunc, tozero, tozero_inv), which keeps every value exact.
 */
async function fixedThreshold(raw: Raw, type: 'binary' | 'binary_inv' | 'trunc' | 'tozero' | 'tozero_inv', thresh: number, maxValue: number): Promise<Uint8Array> {
  const level = Math.floor(thresh);
  const mask = await above(raw, level);
  if (type === 'binary') return mapMask(mask, raw, 0, maxValue);
  if (type === 'binary_inv') return mapMask(mask, raw, maxValue, 0);
  if (type === 'tozero') return bitwise(raw.data, mask, raw, 'and');
  const belowMask = await mapMask(mask, raw, 255, 0);
  const kept = await bitwise(raw.data, belowMask, raw, 'and');
  if (type === 'tozero_inv') return kept;
  // trunc: min(v, thresh) = (v where not above) | (thresh where above)
  return bitwise(kept, await mapMask(mask, raw, 0, Math.max(0, Math.min(255, level))), raw, 'or');
}

/**
 * Otsu's threshold as OpenCV computes it (getThreshVal_Otsu_8u): the level that maximizes the
 * between-class variance, first of equals. sharp exposes no libvips histogram, so the 256-bin
 * histogram is one counting pass over the grey band.
 */
export function otsuLevel(gray: Uint8Array): number {
  const histogram = new Float64Array(256);
  for (let i = 0; i < gray.length; i++) histogram[gray[i]!]!++;
  const total = gray.length;
  let mu = 0;
  for (let i = 0; i < 256; i++) mu += (i * histogram[i]!) / total;
  let q1 = 0, mu1 = 0, maxSigma = 0, level = 0;
  const epsilon = 1.1920928955078125e-7; // FLT_EPSILON
  for (let i = 0; i < 256; i++) {
    const p = histogram[i]! / total;
    mu1 *= q1;
    q1 += p;
    const q2 = 1 - q1;
    if (Math.min(q1, q2) < epsilon || Math.max(q1, q2) > 1 - epsilon) continue;
    mu1 = (mu1 + i * p) / q1;
    const mu2 = (mu - q1 * mu1) / q2;
    const sigma = q1 * q2 * (mu1 - mu2) * (mu1 - mu2);
    if (sigma > maxSigma) {
      maxSigma = sigma;
      level = i;
    }
  }
  return level;
}

/**
 * OpenCV's `adaptiveThreshold(src, max, method, THRESH_BINARY, 11, 2)`: a pixel is `max` when it
 * exceeds the rounded local mean (box or Gaussian, 11 × 11, replicated border) minus 2. With the
 * window's integer weights w (sum S), round(Σ w v / S) < v + 2 ⇔ S·v − Σ w v > −1.5 S, so one
 * libvips convolution with the kernel S·δ − w and an offset gives a value ≥ 1 exactly where the
 * pixel passes: no rounding anywhere.
 */
async function adaptiveThreshold(raw: Raw, method: 'mean' | 'gaussian', maxValue: number): Promise<Uint8Array> {
  const size = 11, half = 5;
  const taps = method === 'mean' ? new Array<number>(size).fill(1) : fixedPointGaussianKernel(size);
  const weights = squareKernel(size, (dx, dy) => taps[dx + half]! * taps[dy + half]!);
  const sum = weights.kernel.reduce((a, b) => a + b, 0);
  const kernel = weights.kernel.map((w, i) => (i === (size * size - 1) / 2 ? sum - w : -w));
  const offset = -Math.floor(-1.5 * sum);
  const passes = await bytesOf((await pipelineOf(raw.data, raw.width, raw.height)).convolve({ width: size, height: size, kernel, scale: 1, offset }));
  return mapMask(await above({ ...raw, data: passes }, 0), raw, 0, maxValue);
}

/**
 * Roboflow's `threshold@v1` (OpenCV's threshold / adaptiveThreshold). The fixed types work band by
 * band, as OpenCV's do on a colour image; otsu and the adaptive types need one band in OpenCV
 * and work here on the image's grey (the image itself when it is already grey).
 */
export async function thresholdImage(image: VadImage, type: ThresholdType, thresh: number, maxValue: number): Promise<VadImage> {
  const { data, width, height } = await image.pixels();
  const max = Math.max(0, Math.min(255, Math.round(maxValue)));
  if (type === 'binary' || type === 'binary_inv' || type === 'trunc' || type === 'tozero' || type === 'tozero_inv') {
    return imageLike(image, await fixedThreshold({ data, width, height }, type, thresh, max));
  }
  const gray = { data: await grayBytes(data, width, height), width, height };
  if (type === 'otsu') {
    const level = otsuLevel(await bandOf(await pipelineOf(gray.data, width, height)));
    return imageLike(image, await fixedThreshold(gray, 'binary', level, max));
  }
  return imageLike(image, await adaptiveThreshold(gray, type === 'adaptive_mean' ? 'mean' : 'gaussian', max));
}
