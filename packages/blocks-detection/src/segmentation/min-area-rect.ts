import { convexHull } from '@vad/core';
import type { PolygonPoint } from './mask-polygon.js';

/** A rotated rectangle as OpenCV's `cv2.minAreaRect` reports it. */
export interface RotatedRect {
  readonly centre: PolygonPoint;
  /** Length of the side that points along `angle`. */
  readonly width: number;
  /** Length of the other side. */
  readonly height: number;
  /** Degrees in (0, 90], measured from the x axis towards y (clockwise on screen, y down). */
  readonly angle: number;
}

/**
 * The rectangle of least area enclosing the points (OpenCV's `minAreaRect`): one side of it lies
 * along an edge of their convex hull, so each hull edge is tried with the hull projected onto it
 * and its normal. Reported as OpenCV ≥ 4.5.1 does: of the rectangle's four side directions the one
 * at an angle in (0°, 90°] gives `angle`, and `width` is the side along it (an upright rectangle
 * has angle 90 and its vertical side as width).
 */
export function minAreaRect(points: readonly PolygonPoint[]): RotatedRect {
  const hull = convexHull(points.map((p) => [p.x, p.y] as const)).map(([x, y]) => ({ x, y }));
  if (hull.length === 0) return { centre: { x: 0, y: 0 }, width: 0, height: 0, angle: 0 };
  if (hull.length === 1) return { centre: { ...hull[0]! }, width: 0, height: 0, angle: 0 };
  let best: { area: number; ux: number; uy: number; minU: number; maxU: number; minV: number; maxV: number } | undefined;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    if (length === 0) continue;
    const ux = (b.x - a.x) / length;
    const uy = (b.y - a.y) / length;
    let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
    for (const p of hull) {
      const u = p.x * ux + p.y * uy;
      const v = -p.x * uy + p.y * ux;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (!best || area < best.area) best = { area, ux, uy, minU, maxU, minV, maxV };
  }
  const { ux, uy, minU, maxU, minV, maxV } = best!;
  const cu = (minU + maxU) / 2;
  const cv = (minV + maxV) / 2;
  const centre = { x: cu * ux - cv * uy, y: cu * uy + cv * ux };
  // The four side directions: ±u (length along u) and ±v = ±(-uy, ux).
  const sides = [
    { dx: ux, dy: uy, along: maxU - minU, across: maxV - minV },
    { dx: -ux, dy: -uy, along: maxU - minU, across: maxV - minV },
    { dx: -uy, dy: ux, along: maxV - minV, across: maxU - minU },
    { dx: uy, dy: -ux, along: maxV - minV, across: maxU - minU },
  ].map((side) => ({ ...side, angle: (Math.atan2(side.dy, side.dx) * 180) / Math.PI }));
  const side = sides.find((s) => s.angle > 0 && s.angle <= 90) ?? sides.reduce((a, b) => (Math.abs(b.angle - 45) < Math.abs(a.angle - 45) ? b : a));
  return { centre, width: side.along, height: side.across, angle: side.angle };
}

/** The rectangle's corners in OpenCV's `boxPoints` order. */
export function rectCorners(rect: RotatedRect): [PolygonPoint, PolygonPoint, PolygonPoint, PolygonPoint] {
  const radians = (rect.angle * Math.PI) / 180;
  const b = Math.cos(radians) * 0.5;
  const a = Math.sin(radians) * 0.5;
  const { x, y } = rect.centre;
  const p0 = { x: x - a * rect.height - b * rect.width, y: y + b * rect.height - a * rect.width };
  const p1 = { x: x + a * rect.height - b * rect.width, y: y - b * rect.height - a * rect.width };
  return [p0, p1, { x: 2 * x - p0.x, y: 2 * y - p0.y }, { x: 2 * x - p1.x, y: 2 * y - p1.y }];
}
