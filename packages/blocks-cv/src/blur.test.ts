import { InvalidInputError } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { blurImage } from './blur.js';
import { toGrayscale } from './grayscale.js';
import { grayImage, levels, noiseImage } from './test-images.js';

/** A k × k weighted mean, rounded half up, with the border replicated (libvips' edge; see README). */
function reference(gray: number[][], weights: number[], sum: number): number[][] {
  const k = weights.length, half = Math.floor(k / 2);
  const clamp = (v: number, n: number) => Math.max(0, Math.min(n - 1, v));
  return gray.map((row, y) =>
    row.map((_, x) => {
      let total = 0;
      for (let j = 0; j < k; j++) for (let i = 0; i < k; i++) total += weights[i]! * weights[j]! * gray[clamp(y + j - half, gray.length)]![clamp(x + i - half, row.length)]!;
      return Math.floor(total / sum + 0.5);
    }),
  );
}

describe('blurImage', () => {
  it('average: a 3 × 3 box mean, rounded', async () => {
    const image = grayImage([[0, 0, 0], [0, 90, 0], [0, 0, 0]]);
    // Centre: 90 / 9 = 10; each pixel around it also sees the 90 once (replicated border).
    expect(await levels(await blurImage(image, 'average', 3))).toEqual([[10, 10, 10], [10, 10, 10], [10, 10, 10]]);
    const gray = await levels(await toGrayscale(noiseImage(16, 12)));
    expect(await levels(await blurImage(grayImage(gray), 'average', 3))).toEqual(reference(gray, [1, 1, 1], 9));
  });

  it('average with an even size reaches one further left and up, as OpenCV’s anchor does', async () => {
    const image = grayImage([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 64, 0], [0, 0, 0, 0]]);
    const out = await levels(await blurImage(image, 'average', 2));
    // A 2 × 2 window covering (x−1..x, y−1..y): the 64 reaches (2,2), (3,2), (2,3), (3,3).
    expect(out).toEqual([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 16, 16], [0, 0, 16, 16]]);
  });

  it('gaussian 5: OpenCV’s binomial kernel [1 4 6 4 1] / 16 in both directions', async () => {
    const gray = await levels(await toGrayscale(noiseImage(16, 12, 3)));
    expect(await levels(await blurImage(grayImage(gray), 'gaussian', 5))).toEqual(reference(gray, [1, 4, 6, 4, 1], 256));
  });

  it('median 3 removes a lone bright pixel', async () => {
    const image = grayImage([[10, 10, 10], [10, 250, 10], [10, 10, 10]]);
    expect((await levels(await blurImage(image, 'median', 3))).flat().every((v) => v === 10)).toBe(true);
  });

  it('bilateral keeps a strong edge and smooths small noise', async () => {
    const rows = Array.from({ length: 8 }, (_, y) => Array.from({ length: 8 }, (_, x) => (x < 4 ? 20 : 220) + ((x + y) % 2 === 0 ? 4 : -4)));
    const out = await levels(await blurImage(grayImage(rows), 'bilateral', 5));
    for (const row of out) {
      expect(Math.max(...row.slice(0, 4))).toBeLessThan(30);
      expect(Math.min(...row.slice(4))).toBeGreaterThan(210);
      // the ±4 checkerboard is flattened towards 20 and 220
      expect(Math.abs(row[1]! - 20)).toBeLessThan(4);
    }
  });

  it('refuses an even kernel for gaussian and median, naming the property', async () => {
    const image = grayImage([[1, 2, 3]]);
    await expect(blurImage(image, 'gaussian', 4, { stepName: 'blur' })).rejects.toSatisfy((error) => InvalidInputError.isInstance(error) && /kernel_size.*odd/.test((error as Error).message));
  });
});
