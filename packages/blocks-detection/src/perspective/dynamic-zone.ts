import { approximatePolygon, convexHull, defineBlock, type Detection, type Detections, field, kinds, perimeter, polygonArea, type PolygonPoint as Point, z } from '@vad/core';

/**
 * The convex hull of `outline` simplified to `vertices` corners: approxPolyDP with its epsilon
 * bisected between 0 and the hull's perimeter (at most 1000 times), as Roboflow's dynamic zone.
 */
export function simplifyToVertices(outline: readonly Point[], vertices: number): Point[] {
  const hull = convexHull(outline);
  let lower = 1e-7, upper = perimeter(hull);
  let epsilon = lower + upper / 2;
  let polygon = approximatePolygon(hull, epsilon);
  for (let step = 0; step < 1000 && polygon.length !== vertices; step++) {
    if (polygon.length > vertices) lower = epsilon;
    else upper = epsilon;
    epsilon = lower + (upper - lower) / 2;
    polygon = approximatePolygon(hull, epsilon);
  }
  return polygon;
}

/** The line y = a·x + b through `points` by least squares, or undefined when they are too few or vertical. */
function leastSquaresLine(points: readonly Point[]): { a: number; b: number } | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const [x, y] of points) [sx, sy, sxx, sxy] = [sx + x, sy + y, sxx + x * x, sxy + x * y];
  const denominator = n * sxx - sx * sx;
  if (Math.abs(denominator) < 1e-9) return undefined;
  const a = (n * sxy - sx * sy) / denominator;
  return { a, b: (sy - a * sx) / n };
}

/**
 * Each edge of `polygon` refitted by least squares to the outline points between its two corners
 * (the middle `midpointFraction` of them), corners moved to where neighbouring edges meet. A
 * corner whose edges cannot be fitted (too few points, vertical, parallel) stays where it was.
 */
export function fitEdgesToOutline(outline: readonly Point[], polygon: readonly Point[], midpointFraction: number): Point[] {
  const closest = (p: Point) => {
    let best = 0, distance = Infinity;
    outline.forEach((q, i) => {
      const d = Math.hypot(q[0] - p[0], q[1] - p[1]);
      if (d < distance) [distance, best] = [d, i];
    });
    return best;
  };
  const between = (p: Point, q: Point) => {
    const i = closest(p), j = closest(q);
    return i <= j ? outline.slice(i, j + 1) : [...outline.slice(i), ...outline.slice(0, j + 1)];
  };
  // Edge k runs from corner k-1 to corner k, so corner k is where edges k and k+1 meet.
  const lines = polygon.map((corner, k) => {
    let points = between(polygon[(k + polygon.length - 1) % polygon.length]!, corner);
    if (midpointFraction < 1) {
      const kept = Math.round(points.length * midpointFraction);
      if (kept > 2) {
        const drop = Math.floor((points.length - kept) / 2);
        points = points.slice(drop, points.length - drop);
      }
    }
    return leastSquaresLine(points);
  });
  return polygon.map((corner, k) => {
    const first = lines[k], second = lines[(k + 1) % lines.length];
    if (!first || !second || Math.abs(first.a - second.a) < 1e-8) return corner;
    const x = (second.b - first.b) / (first.a - second.a);
    return [Math.round(x), Math.round(first.a * x + first.b)] as const;
  });
}

/** `polygon` grown (or shrunk) about its centroid by `ratio`, rounded to pixels. */
export function scalePolygon(polygon: readonly Point[], ratio: number): Point[] {
  if (ratio === 1) return [...polygon];
  const area = polygonArea(polygon);
  if (area === 0) return [...polygon];
  let cx = 0, cy = 0, signed = 0;
  polygon.forEach((p, i) => {
    const q = polygon[(i + 1) % polygon.length]!;
    const c = p[0] * q[1] - q[0] * p[1];
    [signed, cx, cy] = [signed + c, cx + (p[0] + q[0]) * c, cy + (p[1] + q[1]) * c];
  });
  cx /= 3 * signed;
  cy /= 3 * signed;
  return polygon.map(([x, y]) => [Math.round(cx + (x - cx) * ratio), Math.round(cy + (y - cy) * ratio)] as const);
}

const outlineOf = (detection: Detection): Point[] =>
  Array.isArray(detection.points) ? (detection.points as { x: number; y: number }[]).map((p) => [p.x, p.y] as const) : [];

/**
 * Roboflow's `dynamic_zone@v1`: each instance segmentation's outline made convex and reduced to
 * `required_number_of_vertices` corners, for zones that follow a detected object (a road, a
 * pitch, a conveyor belt).
 */
export const dynamicZone = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/dynamic_zone@v1',
  aliases: ['roboflow_core/dynamic_zone@v1', 'DynamicZone'],
  title: 'Dynamic Zone',
  description:
    "Makes each instance segmentation's outline convex and simplifies it to required_number_of_vertices corners (padded by repeating the last corner, or cut, when the simplification does not reach the count exactly).",
  manifest: {
    predictions: field.selector<Detections>([kinds.instanceSegmentationPrediction], { description: 'Instance segmentations whose outlines become zones; filter them to the classes of interest first' }),
    required_number_of_vertices: field.parameter(z.number().int().min(3), [kinds.integer], { description: 'Corners each zone has' }),
    scale_ratio: field.parameter(z.number().positive().default(1), [kinds.float], { description: 'Grows each zone about its centroid by this ratio' }),
    apply_least_squares: field.parameter(z.boolean().default(false), [kinds.boolean], { description: 'Refit each edge to the outline by least squares' }),
    midpoint_fraction: field.parameter(z.number().min(0).max(1).default(1), [kinds.floatZeroToOne], {
      description: 'With apply_least_squares: the middle fraction of each edge’s outline points that the fit uses',
    }),
  },
  outputs: {
    zones: { kinds: [kinds.listOfValues] },
    predictions: { kinds: [kinds.instanceSegmentationPrediction] },
    simplification_converged: { kinds: [kinds.boolean] },
  },
  create: () => ({
    run({ predictions, required_number_of_vertices: vertices, scale_ratio, apply_least_squares, midpoint_fraction }) {
      const zones: [number, number][][] = [];
      const kept: Detection[] = [];
      let converged = true;
      for (const detection of predictions.predictions) {
        const outline = outlineOf(detection);
        if (outline.length === 0) {
          converged = false;
          continue;
        }
        let polygon = simplifyToVertices(outline, vertices);
        if (apply_least_squares) polygon = fitEdgesToOutline(outline, polygon, midpoint_fraction ?? 1);
        if (polygon.length !== vertices) converged = false;
        while (polygon.length < vertices) polygon.push(polygon[polygon.length - 1]!);
        polygon = scalePolygon(polygon.slice(0, vertices), scale_ratio ?? 1);
        const zone = polygon.map(([x, y]) => [x, y] as [number, number]);
        zones.push(zone);
        kept.push({ ...detection, points: zone.map(([x, y]) => ({ x, y })) });
      }
      return { zones, predictions: { ...predictions, predictions: kept }, simplification_converged: converged };
    },
  }),
});
