import { describe, expect, it } from 'vitest';
import { approximatePolygon, containsPoint, convexHull, perimeter, polygonArea, type PolygonPoint as Point } from './polygon.js';

const signedArea = (polygon: readonly Point[]) => polygon.reduce((sum, p, i) => sum + p[0] * polygon[(i + 1) % polygon.length]![1] - polygon[(i + 1) % polygon.length]![0] * p[1], 0) / 2;

describe('polygon geometry', () => {
  it('finds the convex hull of scattered points, in OpenCV clockwise order', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 100;
    const points: Point[] = Array.from({ length: 60 }, () => [Math.round(random()), Math.round(random())] as const);
    const hull = convexHull(points);
    expect(hull.length).toBeGreaterThanOrEqual(3);
    for (const p of points) expect(containsPoint(hull, p)).toBe(true);
    expect(signedArea(hull)).toBeLessThan(0);
    // Every turn the same way: convex, no collinear corners.
    hull.forEach((p, i) => {
      const [q, r] = [hull[(i + 1) % hull.length]!, hull[(i + 2) % hull.length]!];
      expect((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])).toBeLessThan(0);
    });
  });

  it('simplifies a rectangle with points along its sides to its corners', () => {
    const outline: Point[] = [[0, 0], [5, 0.2], [10, 0], [10, 4], [10.1, 8], [10, 10], [3, 10], [0, 10], [0.1, 5]];
    const simplified = approximatePolygon(outline, 0.5);
    expect(simplified).toEqual([[0, 0], [10, 0], [10, 10], [0, 10]]);
    // [3, 10] lies on the bottom edge exactly; every other point is off its neighbours' line.
    expect(approximatePolygon(outline, 0.01)).toEqual(outline.filter(([x, y]) => !(x === 3 && y === 10)));
  });

  it('measures area and perimeter, and counts the border as inside', () => {
    const square: Point[] = [[0, 0], [4, 0], [4, 4], [0, 4]];
    expect(polygonArea(square)).toBe(16);
    expect(polygonArea([...square].reverse())).toBe(16);
    expect(perimeter(square)).toBe(16);
    expect(containsPoint(square, [2, 2])).toBe(true);
    expect(containsPoint(square, [4, 2])).toBe(true);
    expect(containsPoint(square, [0, 0])).toBe(true);
    expect(containsPoint(square, [4.01, 2])).toBe(false);
  });
});
