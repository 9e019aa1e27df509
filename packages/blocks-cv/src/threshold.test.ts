import { describe, expect, it } from 'vitest';
import { fixedPointGaussianKernel } from './gaussian-kernel.js';
import { otsuLevel, thresholdImage } from './threshold.js';
import { grayImage, levels, noiseImage } from './test-images.js';
import { toGrayscale } from './grayscale.js';

// A 4 × 4 gradient: 0, 16, …, 240.
const gradient = grayImage([0, 1, 2, 3].map((row) => [0, 1, 2, 3].map((column) => (row * 4 + column) * 16)));

describe('thresholdImage (fixed types) on a 4 × 4 gradient, threshold 100, max 200', () => {
  const cases: [Parameters<typeof thresholdImage>[1], (v: number) => number][] = [
    ['binary', (v) => (v > 100 ? 200 : 0)],
    ['binary_inv', (v) => (v > 100 ? 0 : 200)],
    ['trunc', (v) => Math.min(v, 100)],
    ['tozero', (v) => (v > 100 ? v : 0)],
    ['tozero_inv', (v) => (v > 100 ? 0 : v)],
  ];
  it.each(cases)('%s', async (type, expected) => {
    const out = await levels(await thresholdImage(gradient, type, 100, 200));
    expect(out).toEqual((await levels(gradient)).map((row) => row.map(expected)));
  });

  it('compares strictly above the threshold (112 stays 0 at thresh 112) and handles thresholds outside 0..254', async () => {
    expect((await levels(await thresholdImage(gradient, 'binary', 112, 255))).flat().filter((v) => v === 255)).toHaveLength(8);
    expect((await levels(await thresholdImage(gradient, 'binary', 255, 255))).flat().every((v) => v === 0)).toBe(true);
    expect((await levels(await thresholdImage(gradient, 'binary', -1, 255))).flat().every((v) => v === 255)).toBe(true);
  });
});

describe('otsu', () => {
  it('picks the first level of the best split of a two-level image', async () => {
    expect(otsuLevel(Uint8Array.from([50, 50, 50, 200, 200, 200, 200, 50]))).toBe(50);
    const image = grayImage([[50, 50, 200], [200, 50, 200]]);
    expect(await levels(await thresholdImage(image, 'otsu', 0, 255))).toEqual([[0, 0, 255], [255, 0, 255]]);
  });

  it('splits three clusters between the two closest ones', () => {
    // 10 and 20 are close, 200 far: the best split lies between 20 and 200.
    const data = Uint8Array.from([...Array(10).fill(10), ...Array(10).fill(20), ...Array(10).fill(200)]);
    const level = otsuLevel(data);
    expect(level).toBeGreaterThanOrEqual(20);
    expect(level).toBeLessThan(200);
  });
});

/** OpenCV's adaptiveThreshold(…, THRESH_BINARY, 11, 2) written out directly, replicated border. */
function adaptiveReference(gray: number[][], taps: number[], maxValue: number): number[][] {
  const height = gray.length, width = gray[0]!.length;
  const clamp = (v: number, n: number) => Math.max(0, Math.min(n - 1, v));
  const total = taps.reduce((a, b) => a + b, 0) ** 2;
  return gray.map((row, y) =>
    row.map((v, x) => {
      let sum = 0;
      for (let dy = -5; dy <= 5; dy++) for (let dx = -5; dx <= 5; dx++) sum += taps[dx + 5]! * taps[dy + 5]! * gray[clamp(y + dy, height)]![clamp(x + dx, width)]!;
      const mean = Math.floor(sum / total + 0.5);
      return v - mean > -2 ? maxValue : 0;
    }),
  );
}

describe('adaptive thresholds', () => {
  it.each([
    ['adaptive_mean', new Array(11).fill(1)],
    ['adaptive_gaussian', fixedPointGaussianKernel(11)],
  ] as const)('%s matches a direct computation of OpenCV’s rule on every pixel', async (type, taps) => {
    const gray = await toGrayscale(noiseImage(30, 20, 7));
    const out = await levels(await thresholdImage(gray, type, 0, 180));
    expect(out).toEqual(adaptiveReference(await levels(gray), [...taps], 180));
  });

  it('the 11-tap Gaussian has OpenCV’s sigma 2 shape and sums to 256', () => {
    const taps = fixedPointGaussianKernel(11);
    expect(taps.reduce((a, b) => a + b, 0)).toBe(256);
    expect(taps).toEqual([...taps].reverse());
    expect(taps[5]).toBeGreaterThan(taps[4]!);
    // exp(-25/8) of the centre, within the 1/256 quantization
    expect(taps[0]! / taps[5]!).toBeCloseTo(Math.exp(-25 / 8), 1);
  });
});
