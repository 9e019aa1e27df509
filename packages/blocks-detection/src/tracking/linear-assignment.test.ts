import { createRandom } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { matchAboveThreshold, matchBelowThreshold, solveAssignment } from './linear-assignment.js';

/** The least total cost over every way to assign min(rows, columns) cells, by enumeration. */
function bruteForceMinimum(rows: number, columns: number, costs: Float64Array): number {
  let best = Infinity;
  const tall = rows > columns;
  const n = tall ? columns : rows;
  const m = tall ? rows : columns;
  const usedColumns = new Uint8Array(m);
  const at = (i: number, j: number) => (tall ? costs[j * columns + i]! : costs[i * columns + j]!);
  const visit = (i: number, total: number) => {
    if (i === n) {
      best = Math.min(best, total);
      return;
    }
    for (let j = 0; j < m; j++) {
      if (usedColumns[j]) continue;
      usedColumns[j] = 1;
      visit(i + 1, total + at(i, j));
      usedColumns[j] = 0;
    }
  };
  visit(0, 0);
  return best;
}

describe('solveAssignment', () => {
  it('finds the optimum of random matrices up to 6×6, square and rectangular, as enumeration does', () => {
    const next = createRandom(7);
    for (let trial = 0; trial < 600; trial++) {
      const rows = 1 + Math.floor(next() * 6);
      const columns = 1 + Math.floor(next() * 6);
      // Some matrices with many ties (integers 0–3), some with continuous costs, some negative.
      const kind = trial % 3;
      const costs = Float64Array.from({ length: rows * columns }, () => (kind === 0 ? Math.floor(next() * 4) : kind === 1 ? next() : next() * 10 - 5));
      const assignment = solveAssignment({ rows, columns, costs });
      const columnsUsed = new Set<number>();
      let total = 0;
      let assigned = 0;
      assignment.forEach((column, row) => {
        if (column < 0) return;
        expect(columnsUsed.has(column)).toBe(false);
        columnsUsed.add(column);
        total += costs[row * columns + column]!;
        assigned++;
      });
      expect(assigned).toBe(Math.min(rows, columns));
      expect(total).toBeCloseTo(bruteForceMinimum(rows, columns, costs), 9);
    }
  });

  it('handles empty matrices and rejects non-finite costs', () => {
    expect(solveAssignment({ rows: 0, columns: 3, costs: new Float64Array(0) })).toEqual(new Int32Array(0));
    expect([...solveAssignment({ rows: 2, columns: 0, costs: new Float64Array(0) })]).toEqual([-1, -1]);
    expect(() => solveAssignment({ rows: 1, columns: 1, costs: Float64Array.of(Infinity) })).toThrow(/finite/);
  });

  it('does not take a greedy choice: the cheapest cell is not always part of the optimum', () => {
    // Greedy takes (0,0)=1 and then (1,1)=100; the optimum is (0,1)+(1,0) = 2 + 2.
    const assignment = solveAssignment({ rows: 2, columns: 2, costs: Float64Array.of(1, 2, 2, 100) });
    expect([...assignment]).toEqual([1, 0]);
  });
});

describe('matchBelowThreshold (supervision) and matchAboveThreshold (trackers)', () => {
  it('keeps only pairs within the threshold and lists the rest as unmatched', () => {
    // 3 tracks × 2 detections of IoU distance; track 2 is near nothing.
    const costs = Float64Array.of(0.1, 0.9, 0.95, 0.3, 0.99, 0.97);
    const result = matchBelowThreshold({ rows: 3, columns: 2, costs }, 0.8);
    expect(result.matches).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(result.unmatchedRows).toEqual([2]);
    expect(result.unmatchedColumns).toEqual([]);
    const strict = matchBelowThreshold({ rows: 3, columns: 2, costs }, 0.2);
    expect(strict.matches).toEqual([[0, 0]]);
    expect(strict.unmatchedColumns).toEqual([1]);
  });

  it('maximises total similarity, then drops pairs under the minimum', () => {
    // 0.9 + 0.05 < 0.5 + 0.6: the optimum crosses over; with a minimum of 0.55 only (1, 0) survives.
    const iou = Float64Array.of(0.9, 0.5, 0.6, 0.05);
    expect(matchAboveThreshold({ rows: 2, columns: 2, costs: iou }, 0.1).matches).toEqual([
      [0, 1],
      [1, 0],
    ]);
    const strict = matchAboveThreshold({ rows: 2, columns: 2, costs: iou }, 0.55);
    expect(strict.matches).toEqual([[1, 0]]);
    expect(strict.unmatchedRows).toEqual([0]);
    expect(strict.unmatchedColumns).toEqual([1]);
  });
});
