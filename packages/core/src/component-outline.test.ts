import { describe, expect, it } from 'vitest';
import { externalContours } from './component-outline.js';

/** A mask from rows of '#' (inside) and '.' (outside). */
function maskOf(rows: string[]) {
  const width = rows[0]!.length, height = rows.length;
  return { data: Uint8Array.from(rows.join(''), (c) => (c === '#' ? 255 : 0)), width, height };
}

describe('externalContours', () => {
  it('gives the corners of a filled square counter-clockwise from its top-left pixel, as OpenCV does', () => {
    const { data, width, height } = maskOf(['.....', '.###.', '.###.', '.###.', '.....']);
    expect(externalContours(data, width, height)).toEqual([
      [{ x: 1, y: 1 }, { x: 1, y: 3 }, { x: 3, y: 3 }, { x: 3, y: 1 }],
    ]);
  });

  it('skips a region inside another region’s hole and lists the lowest region first', () => {
    const { data, width, height } = maskOf([
      '#.........',
      '..#####...',
      '..#...#...',
      '..#.#.#...',
      '..#...#...',
      '..#####..#',
    ]);
    const contours = externalContours(data, width, height);
    // The ring and the two single pixels; the pixel at (4, 3) lies in the ring's hole.
    expect(contours).toHaveLength(3);
    expect(contours[0]).toEqual([{ x: 9, y: 5 }]);
    expect(contours[1]).toEqual([{ x: 2, y: 1 }, { x: 2, y: 5 }, { x: 6, y: 5 }, { x: 6, y: 1 }]);
    expect(contours[2]).toEqual([{ x: 0, y: 0 }]);
  });

  it('finds nothing in an empty mask', () => {
    expect(externalContours(new Uint8Array(12), 4, 3)).toEqual([]);
  });
});
