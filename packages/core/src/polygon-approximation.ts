/** A polygon vertex [x, y] in image coordinates (y down). */
export type PolygonPoint = readonly [number, number];

function distanceToSegment(p: PolygonPoint, a: PolygonPoint, b: PolygonPoint): number {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const length = Math.hypot(dx, dy);
  if (length === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  return Math.abs(dx * (a[1] - p[1]) - dy * (a[0] - p[0])) / length;
}

/** Douglas–Peucker on an open chain: the indices kept between first and last. */
function simplifyChain(points: readonly PolygonPoint[], first: number, last: number, epsilon: number, keep: boolean[]): void {
  let farthest = -1, distance = 0;
  for (let i = first + 1; i < last; i++) {
    const d = distanceToSegment(points[i]!, points[first]!, points[last]!);
    if (d > distance) [distance, farthest] = [d, i];
  }
  if (farthest < 0 || distance <= epsilon) return;
  keep[farthest] = true;
  simplifyChain(points, first, farthest, epsilon, keep);
  simplifyChain(points, farthest, last, epsilon, keep);
}

/**
 * A closed polygon simplified to the vertices that lie more than `epsilon` from the simplified
 * outline (OpenCV's `approxPolyDP(closed=True)`: split at the first vertex and the vertex farthest
 * from it, then Douglas–Peucker on both halves).
 */
export function approximatePolygon(polygon: readonly PolygonPoint[], epsilon: number): PolygonPoint[] {
  if (polygon.length < 3) return [...polygon];
  let split = 0, distance = -1;
  polygon.forEach((p, i) => {
    const d = Math.hypot(p[0] - polygon[0]![0], p[1] - polygon[0]![1]);
    if (d > distance) [distance, split] = [d, i];
  });
  if (distance <= epsilon) return [polygon[0]!];
  const ring = [...polygon, polygon[0]!];
  const keep = ring.map((_, i) => i === 0 || i === split);
  simplifyChain(ring, 0, split, epsilon, keep);
  simplifyChain(ring, split, ring.length - 1, epsilon, keep);
  return polygon.filter((_, i) => keep[i]);
}
