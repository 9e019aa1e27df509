import { describe, expect, it } from 'vitest';
import { greedyCoreset, selectCoreset } from './coreset.js';
import { createNearestNeighbourSearch } from './nearest-neighbour.js';
import { createRandom, gaussianMatrix } from './random.js';

function squaredDistance(a: Float32Array, b: Float32Array, dimensions: number, i: number, j: number): number {
  let sum = 0;
  for (let k = 0; k < dimensions; k++) sum += (a[i * dimensions + k]! - b[j * dimensions + k]!) ** 2;
  return sum;
}

describe('selectCoreset', () => {
  it('matches a direct greedy k-center on the same rows', async () => {
    const rows = 300;
    const dimensions = 8;
    const features = gaussianMatrix(rows * dimensions, createRandom(5));
    const selected = await selectCoreset(features, rows, dimensions, { size: 20, projectionDimensions: dimensions, seed: 2 });
    // Reference: start from the same first point, then always take the row farthest from the selection.
    const minimum = new Float64Array(rows).fill(Infinity);
    const reference = [selected[0]!];
    for (let step = 1; step < 20; step++) {
      const last = reference[step - 1]!;
      let best = -1;
      for (let row = 0; row < rows; row++) {
        minimum[row] = Math.min(minimum[row]!, squaredDistance(features, features, dimensions, row, last));
        if (best < 0 || minimum[row]! > minimum[best]!) best = row;
      }
      reference.push(best);
    }
    expect(Array.from(selected)).toEqual(reference);
  });

  it('picks isolated points before dense ones', async () => {
    // 100 points near the origin and 3 far away: the far ones are selected within the first 4.
    const dimensions = 4;
    const features = new Float32Array(103 * dimensions);
    const random = createRandom(1);
    for (let index = 0; index < 100 * dimensions; index++) features[index] = random() * 0.01;
    [10, -10, 25].forEach((value, index) => features.fill(value, (100 + index) * dimensions, (101 + index) * dimensions));
    const selected = Array.from(await selectCoreset(features, 103, dimensions, { size: 4, projectionDimensions: dimensions, seed: 0 }));
    expect(selected.filter((row) => row >= 100).sort()).toEqual([100, 101, 102]);
  });
});

describe('greedyCoreset', () => {
  it('continued from an earlier selection picks what one longer selection picks', async () => {
    const rows = 400;
    const dimensions = 6;
    const features = gaussianMatrix(rows * dimensions, createRandom(9));
    const whole = await greedyCoreset(features, rows, dimensions, { size: 30, seed: 4 });
    const start = await greedyCoreset(features, rows, dimensions, { size: 12, seed: 4 });
    const continued = await greedyCoreset(features, rows, dimensions, { size: 30, seed: 4, start });
    expect(Array.from(continued.selected)).toEqual(Array.from(whole.selected));
    continued.minDistances.forEach((value, index) => expect(value).toBeCloseTo(whole.minDistances[index]!, 4));
  });

  it('continues over rows added after the first selection, starting from their distance to it', async () => {
    // 200 points near the origin selected first; then 2 far rows join: they are the next two picks.
    const dimensions = 3;
    const features = new Float32Array(202 * dimensions);
    const random = createRandom(3);
    for (let index = 0; index < 200 * dimensions; index++) features[index] = random();
    features.fill(40, 200 * dimensions, 201 * dimensions);
    features.fill(-40, 201 * dimensions);
    const first = await greedyCoreset(features.subarray(0, 200 * dimensions), 200, dimensions, { size: 5, seed: 1 });
    const minDistances = new Float32Array(202);
    minDistances.set(first.minDistances);
    for (const row of [200, 201]) minDistances[row] = Math.min(...Array.from(first.selected, (chosen) => squaredDistance(features, features, dimensions, row, chosen)));
    const all = await greedyCoreset(features, 202, dimensions, { size: 7, seed: 1, start: { selected: first.selected, minDistances } });
    expect(Array.from(all.selected.subarray(0, 5))).toEqual(Array.from(first.selected));
    expect(Array.from(all.selected.subarray(5)).sort()).toEqual([200, 201]);
  });
});

describe('createNearestNeighbourSearch', () => {
  it('finds the nearest bank row and its distance, in batches, like brute force', async () => {
    const dimensions = 16;
    const random = createRandom(9);
    const bank = gaussianMatrix(50 * dimensions, random);
    const queries = gaussianMatrix(37 * dimensions, random);
    const search = await createNearestNeighbourSearch(bank, 50, dimensions, { batchRows: 10, neighbours: 3 });
    const { distances, indices, neighbourDistances } = await search.search(queries, 37);
    for (let query = 0; query < 37; query++) {
      const all = Array.from({ length: 50 }, (_, row) => squaredDistance(queries, bank, dimensions, query, row));
      const sorted = [...all].sort((a, b) => a - b);
      expect(distances[query]).toBeCloseTo(Math.sqrt(sorted[0]!), 4);
      expect(all[indices[query]!]).toBeCloseTo(sorted[0]!, 4);
      expect(neighbourDistances![query * 3 + 2]).toBeCloseTo(Math.sqrt(sorted[2]!), 4);
    }
    await search.dispose();
  });

  it('leaves a range of bank rows out when built excludable, and refuses to otherwise', async () => {
    const dimensions = 8;
    const random = createRandom(4);
    const bank = gaussianMatrix(40 * dimensions, random);
    // The queries are bank rows 10–19 themselves: without exclusion each finds itself at distance 0.
    const queries = bank.slice(10 * dimensions, 20 * dimensions);
    const search = await createNearestNeighbourSearch(bank, 40, dimensions, { excludable: true, neighbours: 2, batchRows: 4 });
    const plain = await search.search(queries, 10);
    expect(Array.from(plain.indices)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    // ‖a‖² − 2a·b + ‖b‖² cancels to float32 rounding, not exactly 0.
    expect(Math.max(...plain.distances)).toBeLessThan(0.01);
    const excluded = await search.search(queries, 10, [10, 20]);
    for (let query = 0; query < 10; query++) {
      const others = Array.from({ length: 40 }, (_, row) => (row >= 10 && row < 20 ? Infinity : squaredDistance(queries, bank, dimensions, query, row)));
      const sorted = [...others].sort((a, b) => a - b);
      expect(excluded.indices[query]! < 10 || excluded.indices[query]! >= 20).toBe(true);
      expect(excluded.distances[query]).toBeCloseTo(Math.sqrt(sorted[0]!), 4);
      expect(excluded.neighbourDistances![query * 2 + 1]).toBeCloseTo(Math.sqrt(sorted[1]!), 4);
    }
    await search.dispose();
    const fixed = await createNearestNeighbourSearch(bank, 40, dimensions);
    await expect(fixed.search(queries, 10, [10, 20])).rejects.toThrow(/not built excludable/);
    await fixed.dispose();
  });
});
