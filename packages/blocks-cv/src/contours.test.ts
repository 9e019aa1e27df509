import { describe, expect, it } from 'vitest';
import { detectContours } from './contours.js';
import { grayImage } from './test-images.js';

describe('detectContours', () => {
  it('finds two squares, lowest first, with OpenCV’s point order and hierarchy, and draws them', async () => {
    const rows = Array.from({ length: 12 }, () => new Array<number>(12).fill(0));
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) rows[y]![x] = 255;
    for (let y = 6; y <= 9; y++) for (let x = 5; x <= 10; x++) rows[y]![x] = 255;
    const result = await detectContours(grayImage(rows), 1);
    expect(result.number_contours).toBe(2);
    expect(result.contours).toEqual([
      [[[5, 6]], [[5, 9]], [[10, 9]], [[10, 6]]],
      [[[1, 1]], [[1, 3]], [[3, 3]], [[3, 1]]],
    ]);
    expect(result.hierarchy).toEqual([[[1, -1, -1, -1], [-1, 0, -1, -1]]]);
    const { data, width } = await result.image.pixels();
    const at = (x: number, y: number) => [...data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
    expect(at(1, 1)).toEqual([255, 0, 255]); // on a contour: magenta
    expect(at(2, 2)).toEqual([255, 255, 255]); // inside, off the 1-pixel line
    expect(at(0, 11)).toEqual([0, 0, 0]);
  });

  it('gives no contours and a null hierarchy for a black image', async () => {
    const result = await detectContours(grayImage([[0, 0], [0, 0]]), 3);
    expect(result).toMatchObject({ contours: [], hierarchy: null, number_contours: 0 });
  });
});
