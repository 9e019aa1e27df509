import { describe, expect, it } from 'vitest';
import { brennerFocus } from './camera-focus.js';
import { toGrayscale } from './grayscale.js';
import { grayImage, levels, noiseImage } from './test-images.js';

/** Roboflow's Brenner measure written out (numpy's clip, max and mean). */
function brenner(gray: number[][]): { measure: number[][]; mean: number } {
  const height = gray.length, width = gray[0]!.length;
  const measure = gray.map((row, y) =>
    row.map((v, x) => {
      const h = x < width - 2 ? Math.max(0, row[x + 2]! - v) : 0;
      const w = y < height - 2 ? Math.max(0, gray[y + 2]![x]! - v) : 0;
      return Math.max(h, w) ** 2;
    }),
  );
  return { measure, mean: measure.flat().reduce((a, b) => a + b, 0) / (width * height) };
}

describe('brennerFocus', () => {
  it('a 4 × 3 image with one step edge: hand-computed measure', async () => {
    // Differences two apart: x = 0 and 1 see 0 → 40 (40² = 1600) in every row; nothing vertical.
    const { focus_measure, image } = await brennerFocus(grayImage([[0, 0, 40, 40], [0, 0, 40, 40], [0, 0, 40, 40]]));
    expect(focus_measure).toBeCloseTo((6 * 1600) / 12, 9);
    expect(await levels(image)).toEqual([[255, 255, 0, 0], [255, 255, 0, 0], [255, 255, 0, 0]]);
  });

  it('matches Roboflow’s formula on a noise image, measure and picture', async () => {
    const gray = await levels(await toGrayscale(noiseImage(40, 30, 5)));
    const { measure, mean } = brenner(gray);
    const result = await brennerFocus(grayImage(gray));
    expect(result.focus_measure).toBeCloseTo(mean, 6);
    const max = Math.max(...measure.flat());
    expect(await levels(result.image)).toEqual(measure.map((row) => row.map((v) => Math.floor((v / max) * 255))));
  });

  it('a flat image measures 0', async () => {
    expect((await brennerFocus(grayImage([[9, 9, 9], [9, 9, 9], [9, 9, 9]]))).focus_measure).toBe(0);
  });
});
