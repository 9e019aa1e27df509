import { describe, expect, it } from 'vitest';
import { largestComponentOutline } from './mask-polygon.js';

/** A mask from rows of '#' (inside) and '.' (outside). */
function maskOf(rows: string[]) {
  const width = rows[0]!.length, height = rows.length;
  return { data: Uint8Array.from(rows.join(''), (c) => (c === '#' ? 255 : 0)), width, height };
}

describe('largestComponentOutline', () => {
  it('traces the largest region clockwise, keeping only the turns', () => {
    const { data, width, height } = maskOf([
      '##......',
      '........',
      '...####.',
      '...####.',
      '...##...',
      '...##...',
    ]);
    expect(largestComponentOutline(data, width, height)).toEqual([
      { x: 3, y: 2 },
      { x: 6, y: 2 },
      { x: 6, y: 3 },
      { x: 5, y: 3 },
      // (4, 3) has no background 4-neighbour, so the border cuts the inner corner diagonally (as OpenCV's does).
      { x: 4, y: 4 },
      { x: 4, y: 5 },
      { x: 3, y: 5 },
    ]);
  });

  it('follows a diagonal and comes back on a one-pixel-wide line', () => {
    const { data, width, height } = maskOf(['#...', '.#..', '..#.']);
    expect(largestComponentOutline(data, width, height)).toEqual([
      { x: 0, y: 0 },
      { x: 2, y: 2 },
    ]);
  });

  it('gives one point for one pixel and none for an empty mask', () => {
    expect(largestComponentOutline(maskOf(['...', '.#.']).data, 3, 2)).toEqual([{ x: 1, y: 1 }]);
    expect(largestComponentOutline(new Uint8Array(6), 3, 2)).toEqual([]);
  });
});
