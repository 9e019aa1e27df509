import { anchorPoint, type AnchorPosition, containsPoint, type Detections, polygonArea, type PolygonPoint as Point } from '@vad/core';

/**
 * The polygon a perspective correction maps onto its rectangle: the given 4-corner polygon, or of
 * a list of polygons (e.g. a dynamic zone's `zones`) the largest with 4 corners, rounded to pixels.
 */
export function pickPerspectivePolygon(value: unknown): Point[] {
  if (!Array.isArray(value) || value.length === 0) throw new Error('expected a polygon of 4 [x, y] corners, or a list of polygons');
  const isCorner = (p: unknown) => Array.isArray(p) && p.length === 2 && p.every((c) => typeof c === 'number' && Number.isFinite(c));
  const asPolygon = (p: unknown) => (Array.isArray(p) && p.every(isCorner) ? (p as [number, number][]) : undefined);
  const single = asPolygon(value);
  if (single) {
    if (single.length !== 4) throw new Error(`the polygon has ${single.length} corners; a perspective correction needs 4`);
    return single.map(([x, y]) => [x, y] as const);
  }
  const candidates = value.map(asPolygon).filter((p): p is [number, number][] => p?.length === 4);
  if (candidates.length === 0) throw new Error('no polygon in the list has 4 [x, y] corners');
  const rounded = candidates.map((p) => p.map(([x, y]) => [Math.round(x), Math.round(y)] as const));
  return rounded.reduce((best, p) => (polygonArea(p) > polygonArea(best) ? p : best));
}

/**
 * The corners ordered bottom-left, top-left, top-right, bottom-right (image coordinates): sorted by
 * angle about the bounding box's centre, then rolled to start nearest the box's bottom-left.
 */
export function orderCorners(polygon: readonly Point[]): Point[] {
  const xs = polygon.map((p) => p[0]), ys = polygon.map((p) => p[1]);
  const [xMin, xMax, yMin, yMax] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const [cx, cy] = [xMin / 2 + xMax / 2, yMin / 2 + yMax / 2];
  const sorted = [...polygon].sort((a, b) => Math.atan2(cx - b[0], cy - b[1]) - Math.atan2(cx - a[0], cy - a[1]));
  const box: Point[] = [[xMin, yMax], [xMin, yMin], [xMax, yMin], [xMax, yMax]];
  const distance = (corners: readonly Point[]) => corners.reduce((sum, p, i) => sum + Math.hypot(p[0] - box[i]![0], p[1] - box[i]![1]), 0);
  let best = sorted, bestDistance = distance(sorted);
  for (let shift = 1; shift < 4; shift++) {
    const rolled = [...sorted.slice(4 - shift), ...sorted.slice(0, 4 - shift)];
    const d = distance(rolled);
    if (d < bestDistance || (d === bestDistance && rolled[0]![0] < best[0]![0])) [best, bestDistance] = [rolled, d];
  }
  return best;
}

type Line = { a: number | undefined; b: number }; // y = a·x + b, or x = b when a is undefined (vertical)
const lineThrough = (p: Point, q: Point): Line => (p[0] === q[0] ? { a: undefined, b: p[0] } : { a: (q[1] - p[1]) / (q[0] - p[0]), b: (p[1] * q[0] - q[1] * p[0]) / (q[0] - p[0]) });
function intersect(l: Line, m: Line): Point {
  if (l.a === undefined && m.a === undefined) throw new Error('both lines are vertical');
  if (l.a === undefined) return [l.b, m.a! * l.b + m.b];
  if (m.a === undefined) return [m.b, l.a * m.b + l.b];
  const x = (m.b - l.b) / (l.a - m.a);
  return [x, l.a * x + l.b];
}
const round = (p: Point): Point => [Math.round(p[0]), Math.round(p[1])];
const isLeftTurn = (a: Point, b: Point, p: Point) => (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) > 0;

/** The side v1–v2 moved, parallel to itself, through (x, y); its ends slide along v1→v3 and v2→v4. */
function moveSideThrough(v1: Point, v2: Point, v3: Point, v4: Point, point: Point): [Point, Point] {
  const side = lineThrough(v1, v2);
  const moved: Line = side.a === undefined ? { a: undefined, b: point[0] } : { a: side.a, b: point[1] - side.a * point[0] };
  return [round(intersect(lineThrough(v1, v3), moved)), round(intersect(lineThrough(v2, v4), moved))];
}

export interface ExtendedPolygon {
  corners: Point[];
  originalWidth: number;
  originalHeight: number;
  extendedWidth: number;
  extendedHeight: number;
}

/**
 * Roboflow's `extend_perspective_polygon_by_detections_anchor`: each side of the (ordered) polygon
 * moves outwards, parallel to itself, until every detection's anchor (`ALL`: its box corners) lies
 * inside; how far the sides moved is what the output rectangle grows by.
 */
export function extendPolygonToDetections(corners: readonly Point[], detections: Detections, anchor: AnchorPosition | 'ALL'): ExtendedPolygon {
  let [bottomLeft, topLeft, topRight, bottomRight] = corners as [Point, Point, Point, Point];
  const length = (p: Point, q: Point) => Math.hypot(p[0] - q[0], p[1] - q[1]);
  const originalWidth = Math.max(length(bottomLeft, bottomRight), length(topLeft, topRight));
  const originalHeight = Math.max(length(bottomLeft, topLeft), length(bottomRight, topRight));
  let extendedWidth = 0, extendedHeight = 0;
  const outside = (p: Point) => !containsPoint([bottomLeft, topLeft, topRight, bottomRight], p);
  for (const d of detections.predictions) {
    const box = { x1: d.x - d.width / 2, y1: d.y - d.height / 2, x2: d.x + d.width / 2, y2: d.y + d.height / 2 };
    const at = (...names: AnchorPosition[]): Point[] => (anchor === 'ALL' ? names : [anchor]).map((name) => { const p = anchorPoint(box, name); return [p.x, p.y] as const; });
    for (const p of at('BOTTOM_LEFT', 'TOP_LEFT')) {
      if (!outside(p) || isLeftTurn(bottomLeft, topLeft, p)) continue;
      const before = bottomLeft;
      [bottomLeft, topLeft] = moveSideThrough(bottomLeft, topLeft, bottomRight, topRight, p);
      extendedWidth += length(bottomLeft, before);
    }
    for (const p of at('BOTTOM_RIGHT', 'TOP_RIGHT')) {
      if (!outside(p) || isLeftTurn(topRight, bottomRight, p)) continue;
      const before = bottomRight;
      [topRight, bottomRight] = moveSideThrough(topRight, bottomRight, topLeft, bottomLeft, p);
      extendedWidth += length(bottomRight, before);
    }
    for (const p of at('BOTTOM_RIGHT', 'BOTTOM_LEFT')) {
      if (!outside(p) || isLeftTurn(bottomRight, bottomLeft, p)) continue;
      const before = bottomLeft;
      [bottomRight, bottomLeft] = moveSideThrough(bottomRight, bottomLeft, topRight, topLeft, p);
      extendedHeight += length(bottomLeft, before);
    }
    for (const p of at('TOP_RIGHT', 'TOP_LEFT')) {
      if (!outside(p) || isLeftTurn(topLeft, topRight, p)) continue;
      const before = topLeft;
      [topLeft, topRight] = moveSideThrough(topLeft, topRight, bottomLeft, bottomRight, p);
      extendedHeight += length(topLeft, before);
    }
  }
  return { corners: [bottomLeft, topLeft, topRight, bottomRight], originalWidth, originalHeight, extendedWidth, extendedHeight };
}
