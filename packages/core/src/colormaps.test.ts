import { describe, expect, it } from 'vitest';
import { colormapLookupTable } from './colormaps.js';

const at = (table: Uint8Array, level: number) => [table[level * 3]!, table[level * 3 + 1]!, table[level * 3 + 2]!];

describe('colormaps', () => {
  it('turbo matches the reference table at its ends and middle within 1/255', () => {
    // Google's published turbo_srgb_bytes at 0, 128 and 255.
    const reference: [number, number[]][] = [[0, [48, 18, 59]], [128, [164, 252, 60]], [255, [122, 4, 3]]];
    const table = colormapLookupTable('turbo');
    for (const [level, rgb] of reference) {
      at(table, level).forEach((value, channel) => expect(Math.abs(value - rgb[channel]!), `level ${level}`).toBeLessThanOrEqual(1));
    }
  });

  it("jet follows matplotlib's segments", () => {
    const table = colormapLookupTable('jet');
    expect(at(table, 0)).toEqual([0, 0, 128]);
    expect(at(table, 255)).toEqual([128, 0, 0]);
    const middle = at(table, 128);
    expect(middle[1]).toBe(255);
    expect(Math.abs(middle[0]! - 125)).toBeLessThanOrEqual(2);
    expect(Math.abs(middle[2]! - 125)).toBeLessThanOrEqual(5);
  });
});
