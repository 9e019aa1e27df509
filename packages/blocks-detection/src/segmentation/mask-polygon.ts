import { connectedComponents } from '../reference-comparison/connected-components.js';

export interface PolygonPoint {
  x: number;
  y: number;
}

// Neighbour steps clockwise on screen (y down), starting east.
const stepX = [1, 1, 0, -1, -1, -1, 0, 1];
const stepY = [0, 1, 1, 1, 0, -1, -1, -1];
const WEST = 4;
const directionOf = (dx: number, dy: number) => stepX.findIndex((x, d) => x === dx && stepY[d] === dy);

/**
 * The outer contour of the largest 8-connected component of a binary mask (non-zero = inside), as
 * the centres of its border pixels, clockwise, with the points inside straight runs left out (as
 * OpenCV's CHAIN_APPROX_SIMPLE does). Empty for an empty mask.
 */
export function largestComponentOutline(mask: Uint8Array, width: number, height: number): PolygonPoint[] {
  const { components, labels } = connectedComponents(mask, width, height);
  if (components.length === 0) return [];
  let largest = 0;
  components.forEach((component, index) => {
    if (component.area > components[largest]!.area) largest = index;
  });
  // The component's first pixel in raster order: nothing of it lies west of or above it.
  const { x1, y1 } = components[largest]!;
  let startX = x1;
  while (labels[y1 * width + startX] !== largest) startX++;
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && labels[y * width + x] === largest;
  return simplify(traceBorder(inside, startX, y1));
}

/**
 * Moore-neighbour tracing: from each border pixel, scan its neighbours clockwise starting after
 * the background cell we came from; stop on entering the start pixel again the way we first left it.
 */
function traceBorder(inside: (x: number, y: number) => boolean, startX: number, startY: number): PolygonPoint[] {
  const points: PolygonPoint[] = [{ x: startX, y: startY }];
  let x = startX, y = startY, from = WEST;
  let firstStep = -1;
  for (;;) {
    let next = -1;
    for (let k = 1; k <= 8; k++) {
      const d = (from + k) % 8;
      if (inside(x + stepX[d]!, y + stepY[d]!)) {
        next = d;
        break;
      }
    }
    if (next < 0) return points; // a single pixel
    if (x === startX && y === startY) {
      if (firstStep === next) return points.slice(0, -1);
      if (firstStep < 0) firstStep = next;
    }
    // The background cell scanned just before `next`, seen from the pixel we move to.
    const previous = (next + 7) % 8;
    const nx = x + stepX[next]!, ny = y + stepY[next]!;
    from = directionOf(x + stepX[previous]! - nx, y + stepY[previous]! - ny);
    x = nx;
    y = ny;
    points.push({ x, y });
  }
}

/** Drops points where the outline goes on in the same direction. */
function simplify(points: PolygonPoint[]): PolygonPoint[] {
  if (points.length < 3) return points;
  const kept: PolygonPoint[] = [];
  for (let i = 0; i < points.length; i++) {
    const before = points[(i + points.length - 1) % points.length]!, point = points[i]!, after = points[(i + 1) % points.length]!;
    const turns = (point.x - before.x) * (after.y - point.y) - (point.y - before.y) * (after.x - point.x) !== 0;
    const reverses = (point.x - before.x) * (after.x - point.x) + (point.y - before.y) * (after.y - point.y) < 0;
    if (turns || reverses) kept.push(point);
  }
  return kept;
}
