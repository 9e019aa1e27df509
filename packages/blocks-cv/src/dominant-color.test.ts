import { VadImage } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { dominantColor } from './dominant-color.js';

function twoColors(width: number, height: number, split: number, left: number[], right: number[]): VadImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(x < split ? left : right, (y * width + x) * 3);
  return VadImage.fromPixels({ data, width, height });
}

describe('dominantColor', () => {
  it('is the colour of the larger part of a two-colour image, for any cluster count', async () => {
    const image = twoColors(200, 200, 140, [255, 0, 0], [0, 0, 255]);
    for (const clusters of [1, 2, 4, 10]) {
      const color = await dominantColor(image, clusters, 100, 100);
      // One cluster: the mean of 70 % red and 30 % blue, 178.5 and 76.5 rounded to even as Python does.
      if (clusters === 1) expect(color).toEqual([178, 0, 76]);
      else expect(color).toEqual([255, 0, 0]);
    }
    expect(await dominantColor(twoColors(200, 200, 50, [255, 0, 0], [0, 128, 0]), 4, 100, 100)).toEqual([0, 128, 0]);
  });

  it('is deterministic and reads a uniform image exactly', async () => {
    const image = twoColors(31, 17, 31, [12, 34, 56], [0, 0, 0]);
    expect(await dominantColor(image, 4, 100, 100)).toEqual([12, 34, 56]);
    const mixed = twoColors(64, 64, 40, [200, 100, 50], [10, 20, 30]);
    expect(await dominantColor(mixed, 3, 50, 10)).toEqual(await dominantColor(mixed, 3, 50, 10));
  });
});
