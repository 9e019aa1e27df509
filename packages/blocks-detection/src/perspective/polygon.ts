/** Plane geometry on polygons given as [x, y] vertex lists (image coordinates, y down). */
export type Point = readonly [number, number];

const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/**
 * The convex hull in OpenCV's `convexHull(clockwise=True)` order: clockwise with the y axis up
 * (a negative shoelace sum), so counter-clockwise as drawn on an image; collinear points left out
 * (Andrew's monotone chain).
 */
export function convexHull(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return sorted;
  const chain = (input: Point[]) => {
    const out: Point[] = [];
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

export function perimeter(polygon: readonly Point[]): number {
  let total = 0;
  polygon.forEach((p, i) => {
    const q = polygon[(i + 1) % polygon.length]!;
    total += Math.hypot(q[0] - p[0], q[1] - p[1]);
  });
  return total;
}

/** Unsigned area (shoelace), as OpenCV's `contourArea`. */
export function polygonArea(polygon: readonly Point[]): number {
  let twice = 0;
  polygon.forEach((p, i) => {
    const q = polygon[(i + 1) % polygon.length]!;
    twice += p[0] * q[1] - q[0] * p[1];
  });
  return Math.abs(twice) / 2;
}

/** Inside or on the border (OpenCV's `pointPolygonTest(..., measureDist=False) >= 0`). */
export function containsPoint(polygon: readonly Point[], [x, y]: Point): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (onSegment(polygon[j]!, polygon[i]!, [x, y])) return true;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function onSegment(a: Point, b: Point, p: Point): boolean {
  if (Math.abs(cross(a, b, p)) > 1e-9) return false;
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}

/** OpenCV's `approxPolyDP(closed=True)`; in @vad/core since blocks-cv's motion detection needs it too. */
export { approximatePolygon } from '@vad/core';
