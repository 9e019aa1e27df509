import { describe, expect, it } from 'vitest';
import { minAreaRect, rectCorners } from './min-area-rect.js';

const pts = (...xy: number[][]) => xy.map(([x, y]) => ({ x: x!, y: y! }));

describe('minAreaRect', () => {
  it('reports an upright rectangle as OpenCV does: angle 90, the vertical side as width (Roboflow unit test)', () => {
    // The outline of the mask of Roboflow's test polygon: x 10..20, y 1..10, with a notch point inside.
    const rect = minAreaRect(pts([10, 10], [10, 1], [20, 1], [20, 10], [15, 5]));
    expect(rect.width).toBeCloseTo(9, 9);
    expect(rect.height).toBeCloseTo(10, 9);
    expect(rect.angle).toBeCloseTo(90, 9);
    const corners = rectCorners(rect).map((c) => [Math.round(c.x), Math.round(c.y)]);
    expect(corners).toEqual([[10, 1], [20, 1], [20, 10], [10, 10]]);
  });

  it('finds a rotated rectangle: the corners of a square turned by 30°, and its area', () => {
    const angle = (30 * Math.PI) / 180;
    const square = [[0, 0], [40, 0], [40, 20], [0, 20]].map(([x, y]) => ({ x: 100 + x! * Math.cos(angle) - y! * Math.sin(angle), y: 50 + x! * Math.sin(angle) + y! * Math.cos(angle) }));
    // Points inside must not change it.
    const rect = minAreaRect([...square, { x: 110, y: 70 }, { x: 105, y: 60 }]);
    expect(rect.angle).toBeCloseTo(30, 6);
    expect(rect.width).toBeCloseTo(40, 6);
    expect(rect.height).toBeCloseTo(20, 6);
    const corners = rectCorners(rect);
    for (const corner of square) expect(corners.some((c) => Math.hypot(c.x - corner.x, c.y - corner.y) < 1e-6)).toBe(true);
  });

  it('beats the upright box for a diagonal bar', () => {
    const bar = pts([0, 10], [10, 0], [100, 90], [90, 100]);
    const rect = minAreaRect(bar);
    expect(rect.width * rect.height).toBeCloseTo(Math.hypot(10, 10) * Math.hypot(90, 90), 6);
    expect(rect.width * rect.height).toBeLessThan(100 * 100);
    expect(rect.angle).toBeCloseTo(45, 6);
  });

  it('handles degenerate outlines', () => {
    expect(minAreaRect([])).toMatchObject({ width: 0, height: 0 });
    expect(minAreaRect(pts([5, 7]))).toMatchObject({ centre: { x: 5, y: 7 }, width: 0, height: 0 });
    const line = minAreaRect(pts([0, 0], [10, 0], [5, 0]));
    expect(Math.max(line.width, line.height)).toBeCloseTo(10, 9);
    expect(Math.min(line.width, line.height)).toBeCloseTo(0, 9);
  });
});
