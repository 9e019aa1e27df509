import { InvalidInputError, type Detections } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { boundingRectangles } from './bounding-rect.js';

describe('boundingRectangles', () => {
  // The outline of a 60×20 bar turned by 20° about (50, 50), with a point inside it.
  const turn = (20 * Math.PI) / 180;
  const outline = [[-30, -10], [30, -10], [30, 10], [-30, 10], [5, 3]].map(([u, v]) => ({ x: 50 + u! * Math.cos(turn) - v! * Math.sin(turn), y: 50 + u! * Math.sin(turn) + v! * Math.cos(turn) }));
  const detections: Detections = {
    image: { width: 100, height: 100 },
    predictions: [{ x: 50, y: 40, width: 80, height: 40, confidence: 0.8, class: 'road', class_id: 3, detection_id: 'a', parent_id: 'image', points: outline }],
  };

  it('replaces the outline by the rectangle corners and the box by their upright box, adding rect, angle and the sides', () => {
    const [p] = boundingRectangles(detections).predictions;
    const rect = p!.rect as number[][];
    expect(rect).toHaveLength(4);
    expect(p!.points).toEqual(rect.map(([x, y]) => ({ x, y })));
    for (const [x, y] of rect) {
      expect(Number.isInteger(x) && Number.isInteger(y)).toBe(true);
    }
    const xs = rect.map(([x]) => x!), ys = rect.map(([, y]) => y!);
    expect(p!.x - p!.width / 2).toBe(Math.min(...xs));
    expect(p!.x + p!.width / 2).toBe(Math.max(...xs));
    expect(p!.y - p!.height / 2).toBe(Math.min(...ys));
    expect(p!.y + p!.height / 2).toBe(Math.max(...ys));
    expect(p!.rect_width as number).toBeCloseTo(60, 6);
    expect(p!.rect_height as number).toBeCloseTo(20, 6);
    expect(p!.angle as number).toBeCloseTo(20, 6);
    // The corners are the bar's, cut towards zero to whole pixels.
    for (const corner of outline.slice(0, 4)) expect(rect.some(([x, y]) => x === Math.trunc(corner.x) && y === Math.trunc(corner.y))).toBe(true);
    expect(p).toMatchObject({ class: 'road', class_id: 3, confidence: 0.8, detection_id: 'a' });
  });

  it('names the step and property when a detection has no outline', () => {
    const bare: Detections = { ...detections, predictions: [{ ...detections.predictions[0]!, points: undefined }] };
    expect(() => boundingRectangles(bare, { stepName: 'rect' })).toThrow(InvalidInputError);
    expect(() => boundingRectangles(bare, { stepName: 'rect' })).toThrow(/no points/);
  });
});
