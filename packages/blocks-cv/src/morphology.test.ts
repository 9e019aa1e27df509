import { describe, expect, it } from 'vitest';
import { ellipseElement, openMask } from './morphology.js';

/** Opening written out as OpenCV defines it: min, then max, over the element anchored at size / 2; pixels outside ignored. */
function openReference(mask: Uint8Array, width: number, height: number, size: number): Uint8Array {
  const element = ellipseElement(size);
  const anchor = Math.floor(size / 2);
  const pass = (input: Uint8Array, all: boolean) =>
    Uint8Array.from(input, (_, i) => {
      const x = i % width, y = Math.floor(i / width);
      let result = all;
      for (let j = 0; j < size; j++) for (let k = 0; k < size; k++) {
        if (!element[j]![k]) continue;
        const sx = x + k - anchor, sy = y + j - anchor;
        if (sx < 0 || sy < 0 || sx >= width || sy >= height) continue;
        const set = input[sy * width + sx]! > 0;
        result = all ? result && set : result || set;
      }
      return result ? 255 : 0;
    });
  return pass(pass(mask, true), false);
}

describe('openMask', () => {
  it('builds OpenCV’s ellipse elements (3: a cross; 5: corners cut)', () => {
    expect(ellipseElement(3)).toEqual([[0, 1, 0], [1, 1, 1], [0, 1, 0]]);
    expect(ellipseElement(5)).toEqual([[0, 0, 1, 0, 0], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [0, 0, 1, 0, 0]]);
  });

  it('matches opening written out, for odd and even sizes, on a random mask with grey (shadow) levels', async () => {
    const width = 37, height = 23;
    let seed = 3;
    const mask = Uint8Array.from({ length: width * height }, (_, i) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const blob = Math.hypot((i % width) - 12, Math.floor(i / width) - 10) < 7 || ((i % width) > 25 && Math.floor(i / width) < 9);
      return blob ? ((seed >>> 16) % 10 === 0 ? 0 : 255) : (seed >>> 16) % 7 === 0 ? 127 : 0;
    });
    for (const size of [3, 4, 5, 6, 7]) {
      expect(await openMask(mask, width, height, size), `size ${size}`).toEqual(openReference(mask, width, height, size));
    }
  });
});
