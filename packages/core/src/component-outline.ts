import { labelComponents } from './connected-components.js';

export interface OutlinePoint {
  x: number;
  y: number;
}

// Neighbour steps clockwise on screen (y down), starting east.
const stepX = [1, 1, 0, -1, -1, -1, 0, 1];
const stepY = [0, 1, 1, 1, 0, -1, -1, -1];
const WEST = 4;
const directionOf = (dx: number, dy: number) => stepX.findIndex((x, d) => x === dx && stepY[d] === dy);

/**
 * Moore-neighbour tracing of the outer border of the region `inside` from its first pixel in raster
 * order (nothing of the region lies west of or above it): from each border pixel, scan its
 * neighbours clockwise starting after the background cell we came from; stop on entering the start
 * pixel again the way we first left it. The centres of the border pixels, clockwise on screen.
 */
export function traceOuterBorder(inside: (x: number, y: number) => boolean, startX: number, startY: number): OutlinePoint[] {
  const points: OutlinePoint[] = [{ x: startX, y: startY }];
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

/** Drops points where the outline goes on in the same direction (OpenCV's CHAIN_APPROX_SIMPLE). */
export function simplifyOutline(points: OutlinePoint[]): OutlinePoint[] {
  if (points.length < 3) return points;
  const kept: OutlinePoint[] = [];
  for (let i = 0; i < points.length; i++) {
    const before = points[(i + points.length - 1) % points.length]!, point = points[i]!, after = points[(i + 1) % points.length]!;
    const turns = (point.x - before.x) * (after.y - point.y) - (point.y - before.y) * (after.x - point.x) !== 0;
    const reverses = (point.x - before.x) * (after.x - point.x) + (point.y - before.y) * (after.y - point.y) < 0;
    if (turns || reverses) kept.push(point);
  }
  return kept;
}

/**
 * The outer contours of a binary mask (non-zero = foreground), as OpenCV's
 * `findContours(RETR_EXTERNAL, CHAIN_APPROX_SIMPLE)` finds them: one per 8-connected region that is
 * not inside a hole of another (the background is 4-connected), each starting at the region's first
 * pixel in raster order and running counter-clockwise on screen, with the points inside straight
 * runs left out. Regions come last-found first (OpenCV's order: the lowest start point first).
 */
export function externalContours(mask: Uint8Array, width: number, height: number): OutlinePoint[][] {
  const { labels, components } = labelComponents(fillHoles(mask, width, height), width, height);
  const contours: OutlinePoint[][] = [];
  for (const component of components) {
    let startX = component.minX;
    const row = component.minY * width;
    while (labels[row + startX] !== component.label) startX++;
    const label = component.label;
    const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && labels[y * width + x] === label;
    const clockwise = simplifyOutline(traceOuterBorder(inside, startX, component.minY));
    contours.push([clockwise[0]!, ...clockwise.slice(1).reverse()]);
  }
  return contours.reverse();
}

/** The mask with every background pixel that the outside cannot reach (4-connected) set to foreground. */
function fillHoles(mask: Uint8Array, width: number, height: number): Uint8Array {
  const outside = new Uint8Array(width * height);
  const stack: number[] = [];
  const visit = (index: number) => {
    if (mask[index] === 0 && outside[index] === 0) {
      outside[index] = 1;
      stack.push(index);
    }
  };
  for (let x = 0; x < width; x++) {
    visit(x);
    visit((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    visit(y * width);
    visit(y * width + width - 1);
  }
  while (stack.length > 0) {
    const index = stack.pop()!;
    const x = index % width;
    if (x > 0) visit(index - 1);
    if (x + 1 < width) visit(index + 1);
    if (index >= width) visit(index - width);
    if (index + width < width * height) visit(index + width);
  }
  const filled = new Uint8Array(width * height);
  for (let i = 0; i < filled.length; i++) filled[i] = outside[i] === 0 ? 1 : 0;
  return filled;
}
