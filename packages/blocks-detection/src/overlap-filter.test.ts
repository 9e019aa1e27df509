import { describe, expect, it } from 'vitest';
import { createBoxSet, type BoxSet } from './box-set.js';
import { filterOverlaps, nonMaximumMerge, nonMaximumSuppression } from './overlap-filter.js';

function boxes(rows: Array<[number, number, number, number, number, number]>): BoxSet {
  const set = createBoxSet(rows.length);
  rows.forEach(([x1, y1, x2, y2, score, classId], i) => {
    set.corners.set([x1, y1, x2, y2], i * 4);
    set.scores[i] = score;
    set.classIds[i] = classId;
  });
  return set;
}

describe('overlap filters', () => {
  const set = boxes([
    [0, 0, 100, 100, 0.6, 0], // overlaps the next (IoU 0.82) → suppressed
    [5, 5, 105, 105, 0.9, 0],
    [5, 5, 105, 105, 0.8, 1], // same place, other class → kept (class-aware)
    [300, 300, 350, 350, 0.3, 0],
  ]);

  it('NMS keeps the best box of each overlapping group, per class, best first', () => {
    expect([...nonMaximumSuppression(set, { iouThreshold: 0.5 })]).toEqual([1, 2, 3]);
  });

  it('class-agnostic NMS also suppresses across classes', () => {
    expect([...nonMaximumSuppression(set, { iouThreshold: 0.5, classAgnostic: true })]).toEqual([1, 3]);
  });

  it('NMS keeps overlapping boxes below the IoU threshold and honours maxDetections', () => {
    expect([...nonMaximumSuppression(set, { iouThreshold: 0.9 })]).toEqual([1, 2, 0, 3]);
    expect([...nonMaximumSuppression(set, { iouThreshold: 0.9, maxDetections: 2 })]).toEqual([1, 2]);
  });

  it('NMM merges a group into the union box with an area-weighted score', () => {
    const merged = nonMaximumMerge(set, { iouThreshold: 0.5 });
    expect(merged.count).toBe(3);
    expect([...merged.corners.subarray(0, 4)]).toEqual([0, 0, 105, 105]);
    expect(merged.scores[0]).toBeCloseTo(0.75, 5); // equal areas: (0.9 + 0.6) / 2
    expect(merged.classIds[0]).toBe(0);
    expect(merged.classIds[1]).toBe(1);
  });

  it('"none" keeps everything, ordered by score', () => {
    expect([...filterOverlaps(set, 'none', { iouThreshold: 0.5 }).scores].map((s) => Number(s.toFixed(2)))).toEqual([0.9, 0.8, 0.6, 0.3]);
  });
});
