import type { Detection } from '@vad/core';

export type Corners = readonly [number, number, number, number];

export function cornersOf(p: Detection): Corners {
  return [p.x - p.width / 2, p.y - p.height / 2, p.x + p.width / 2, p.y + p.height / 2];
}

export function iou(a: Corners, b: Corners): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

/** The best IoU of `box` with any prediction whose class is in `accept`. */
export function bestMatch(predictions: readonly Detection[], box: Corners, accept: readonly string[]): number {
  return Math.max(0, ...predictions.filter((p) => accept.includes(p.class)).map((p) => iou(cornersOf(p), box)));
}
