import { cornersIou } from '../box-set.js';
import type { CostMatrix } from './linear-assignment.js';

/** A box by its corners x1, y1, x2, y2 in pixels. */
export type Corners = readonly [number, number, number, number];

/** Intersection over union of two boxes (0 when they do not overlap or have no area). */
export const boxIou = (a: Corners, b: Corners): number => cornersIou(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]);

/** IoU of every box of `rows` with every box of `columns`, row-major. */
export function iouMatrix(rows: readonly Corners[], columns: readonly Corners[]): CostMatrix {
  const costs = new Float64Array(rows.length * columns.length);
  rows.forEach((a, i) => columns.forEach((b, j) => (costs[i * columns.length + j] = boxIou(a, b))));
  return { rows: rows.length, columns: columns.length, costs };
}

/** 1 − IoU, the distance ByteTrack associates by. */
export function iouDistance(rows: readonly Corners[], columns: readonly Corners[]): CostMatrix {
  const matrix = iouMatrix(rows, columns);
  for (let i = 0; i < matrix.costs.length; i++) matrix.costs[i] = 1 - matrix.costs[i]!;
  return matrix;
}
