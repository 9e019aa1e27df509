/** Plane geometry on polygons given as [x, y] vertex lists, in image coordinates (y down). */

/** A polygon vertex [x, y] in image coordinates (y down). */
export type PolygonPoint = readonly [number, number];

const cross = (o: PolygonPoint, a: PolygonPoint, b: PolygonPoint) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/**
 * The convex hull in OpenCV's `convexHull(clockwise=True)` order: clockwise with the y axis up
 * (a negative shoelace sum), so counter-clockwise as drawn on an image; collinear points left out
 * (Andrew's monotone chain).
 */
export function convexHull(points: readonly PolygonPoint[]): PolygonPoint[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return sorted;
  const chain = (input: PolygonPoint[]) => {
    const out: PolygonPoint[] = [];
    for (const p of input) {
      while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  // The chain runs counter-clockwise (y up) from the leftmost point; OpenCV's clockwise is the
  // reverse, and starting at an extreme point keeps approxPolyDP's fixed first vertex a corner.
  const [leftmost, ...rest] = [...chain(sorted), ...chain([...sorted].reverse())];
  return [leftmost!, ...rest.reverse()];
}

export function perimeter(polygon: readonly PolygonPoint[]): number {
  let total = 0;
  polygon.forEach((p, i) => {
    const q = polygon[(i + 1) % polygon.length]!;
    total += Math.hypot(q[0] - p[0], q[1] - p[1]);
  });
  return total;
}

/** Unsigned area (shoelace), as OpenCV's `contourArea`. */
export function polygonArea(polygon: readonly PolygonPoint[]): number {
  let twice = 0;
  polygon.forEach((p, i) => {
    const q = polygon[(i + 1) % polygon.length]!;
    twice += p[0] * q[1] - q[0] * p[1];
  });
  return Math.abs(twice) / 2;
}

/** Inside or on the border (OpenCV's `pointPolygonTest(..., measureDist=False) >= 0`). */
export function containsPoint(polygon: readonly PolygonPoint[], [x, y]: PolygonPoint): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (onSegment(polygon[j]!, polygon[i]!, [x, y])) return true;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function onSegment(a: PolygonPoint, b: PolygonPoint, p: PolygonPoint): boolean {
  if (Math.abs(cross(a, b, p)) > 1e-9) return false;
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}

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
