import { describe, expect, it } from 'vitest';
import { createPatchFeatureExtractor } from './patch-features.js';

// Tap 0: 2 channels on a 4 × 4 grid, value = channel · 100 + y · 4 + x; tap 1: 3 channels on 2 × 2, constant per channel.
const tap0 = Float32Array.from({ length: 2 * 16 }, (_, index) => Math.floor(index / 16) * 100 + (index % 16));
const tap1 = Float32Array.from({ length: 3 * 4 }, (_, index) => 1000 + Math.floor(index / 4));
const maps = [
  { data: tap0, dims: [1, 2, 4, 4] },
  { data: tap1, dims: [1, 3, 2, 2] },
];

describe('patch feature graph', () => {
  it('averages each 3 × 3 neighbourhood that exists, resizes deeper taps to the first grid, one row per position', async () => {
    const extractor = await createPatchFeatureExtractor([2, 3]);
    const { rows, gridHeight, gridWidth } = await extractor.run(maps);
    expect([extractor.dimensions, gridHeight, gridWidth]).toEqual([5, 4, 4]);
    // Corner (0, 0): the mean of positions (0,0), (0,1), (1,0), (1,1) = (0 + 1 + 4 + 5) / 4.
    expect(rows[0]).toBeCloseTo(2.5, 5);
    expect(rows[1]).toBeCloseTo(102.5, 5);
    // Inside (1, 1), row 5: the mean of the 3 × 3 block around value 5 is 5.
    expect(rows[5 * 5]).toBeCloseTo(5, 5);
    // The constant deeper tap stays constant after pooling and resizing.
    expect(Array.from(rows.subarray(5 * 5 + 2, 5 * 5 + 5))).toEqual([1000, 1001, 1002]);
    await extractor.dispose();
  });
});
