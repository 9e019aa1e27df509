import type { Detection, Detections } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { mergeDetections } from './detections-merge.js';
import { boxesOverlap, findOverlaps } from './detections-overlap.js';

/** A prediction from corners. */
const box = (cls: string, x1: number, y1: number, x2: number, y2: number, confidence = 0.9, id = `${cls}-${x1}-${y1}`): Detection => ({
  x: (x1 + x2) / 2, y: (y1 + y2) / 2, width: x2 - x1, height: y2 - y1, confidence, class: cls, class_id: 1, detection_id: id, parent_id: 'image',
});
const envelope = (...predictions: Detection[]): Detections => ({ image: { width: 100, height: 100 }, predictions });
const corners = (p: Detection) => [p.x - p.width / 2, p.y - p.height / 2, p.x + p.width / 2, p.y + p.height / 2];

describe('mergeDetections', () => {
  it('encloses every box, takes the lowest confidence, class id 0 and the class name (Roboflow unit test)', () => {
    const merged = mergeDetections(envelope(box('person', 10, 10, 20, 20, 0.9), box('person', 15, 15, 25, 25, 0.8)), 'merged_detection');
    expect(merged.predictions).toHaveLength(1);
    const [p] = merged.predictions;
    expect(corners(p!)).toEqual([10, 10, 25, 25]);
    expect(p).toMatchObject({ confidence: 0.8, class_id: 0, class: 'merged_detection', parent_id: 'image' });
    expect(typeof p!.detection_id).toBe('string');
    expect(p!.detection_id).not.toMatch(/^person/);
    expect(mergeDetections(envelope(box('a', 0, 0, 1, 1)), 'custom_merged').predictions[0]!.class).toBe('custom_merged');
  });

  it('returns no detection for none', () => {
    const merged = mergeDetections(envelope(), 'merged_detection');
    expect(merged.predictions).toEqual([]);
    expect(merged.image).toEqual({ width: 100, height: 100 });
  });
});

describe('findOverlaps', () => {
  // A banana with an orange whose centre lies on it, an apple that only touches its edge and one far away.
  const banana = box('banana', 20, 20, 60, 60);
  const orange = box('orange', 40, 40, 70, 70);
  const touchingApple = box('apple', 60, 10, 80, 30);
  const farApple = box('apple', 80, 80, 95, 95);
  const detections = envelope(touchingApple, banana, farApple, orange);

  it('Any Overlap keeps every box that touches or crosses a reference box, never the reference class', () => {
    expect(findOverlaps(detections, 'banana', 'Any Overlap').predictions.map((p) => p.detection_id)).toEqual([touchingApple.detection_id, orange.detection_id]);
  });

  it('Center Overlap keeps only boxes whose centre lies strictly inside', () => {
    expect(findOverlaps(detections, 'banana', 'Center Overlap').predictions.map((p) => p.class)).toEqual(['orange']);
    // A centre exactly on the edge is outside.
    expect(boxesOverlap({ x1: 0, y1: 0, x2: 10, y2: 10 }, { x1: 5, y1: 5, x2: 15, y2: 10 }, 'Center Overlap')).toBe(false);
  });

  it('finds nothing without a reference detection', () => {
    expect(findOverlaps(detections, 'pineapple', 'Any Overlap').predictions).toEqual([]);
  });
});
