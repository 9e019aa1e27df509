import type { Detection, Detections } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { matchNearest } from './detections-nearest-neighbor.js';

const box = (id: string, x: number, y: number, extra: Partial<Detection> = {}): Detection => ({ x, y, width: 10, height: 10, confidence: 0.9, class: 'thing', class_id: 0, detection_id: id, parent_id: 'img', ...extra });
const set = (...predictions: Detection[]): Detections => ({ image: { width: 200, height: 200 }, predictions });

describe('matchNearest', () => {
  it('matches each query to its nearest target, with every target within 1 px of it a tie', () => {
    const query = set(box('q1', 0, 0), box('q2', 100, 100));
    // From q1: t1 at 5, t2 at 5.8 (a tie, within 1 px), t3 at 30; from q2: t3 at 50, the others further.
    const target = set(box('t1', 3, 4), box('t2', 0, 5.8), box('t3', 0, 30));
    const result = matchNearest(query, target);
    expect(result.query_predictions.predictions.map((p) => p.nearest_target_distance)).toEqual([5, Math.hypot(100, 70)]);
    expect(result.matched_query_detections.predictions.map((p) => p.detection_id)).toEqual(['q1', 'q1', 'q2']);
    expect(result.matched_target_detections.predictions.map((p) => p.detection_id)).toEqual(['t1', 't2', 't3']);
    // The input is left as it was.
    expect(query.predictions[0]!.nearest_target_distance).toBeUndefined();
  });

  it('leaves out self-matches and targets beyond max_distance; nothing left is null and no pair', () => {
    const both = set(box('a', 0, 0), box('b', 8, 6), box('c', 150, 150));
    const result = matchNearest(both, both, { maxDistance: 20 });
    expect(result.query_predictions.predictions.map((p) => p.nearest_target_distance)).toEqual([10, 10, null]);
    expect(result.matched_query_detections.predictions.map((p) => p.detection_id)).toEqual(['a', 'b']);
    expect(result.matched_target_detections.predictions.map((p) => p.detection_id)).toEqual(['b', 'a']);
    expect(matchNearest(both, set()).query_predictions.predictions.every((p) => p.nearest_target_distance === null)).toBe(true);
  });

  it('anchors on box points and on a named keypoint', () => {
    const query = set(box('q', 50, 50));
    const target = set(box('t', 50, 80));
    // Query bottom centre (50, 55) to target top centre (50, 75): 20.
    expect(matchNearest(query, target, { queryPoint: 'BOTTOM_CENTER', targetPoint: 'TOP_CENTER' }).query_predictions.predictions[0]!.nearest_target_distance).toBe(20);
    const people = set(
      box('p1', 20, 20, { keypoints: [{ x: 18, y: 10, confidence: 0.9, class_id: 0, class: 'nose' }, { x: 30, y: 30, confidence: 0.9, class_id: 9, class: 'left_wrist' }] }),
      box('p2', 100, 100, { keypoints: [{ x: 100, y: 90, confidence: 0.9, class_id: 0, class: 'nose' }] }),
    );
    const tools = set(box('tool', 33, 34));
    const byWrist = matchNearest(people, tools, { queryPoint: 'KEYPOINT', queryKeypointName: 'left_wrist' });
    // p2 has no left_wrist: no anchor, no match.
    expect(byWrist.query_predictions.predictions.map((p) => p.nearest_target_distance)).toEqual([5, null]);
    expect(() => matchNearest(people, tools, { queryPoint: 'KEYPOINT', stepName: 'nn' })).toThrow(/query_keypoint_name must be provided/);
    expect(() => matchNearest(tools, people, { queryPoint: 'KEYPOINT', queryKeypointName: 'nose', stepName: 'nn' })).toThrow(/query_predictions carry no keypoints/);
  });

  it("keeps Roboflow's limits", () => {
    const many = set(...Array.from({ length: 1001 }, (_, i) => box(`d${i}`, i, 0)));
    expect(() => matchNearest(many, set(box('t', 0, 0)))).toThrow(/1001 detections, over the 1000-detection limit/);
    // 101 queries on one point, each tied with 1 target → 101 pairs: fine without masks, too many with them.
    const stacked = set(...Array.from({ length: 101 }, (_, i) => box(`s${i}`, 0, 0)));
    expect(matchNearest(stacked, set(box('t', 0, 0))).matched_query_detections.predictions).toHaveLength(101);
    expect(() => matchNearest(stacked, set(box('t', 0, 0, { points: [{ x: 0, y: 0 }] })))).toThrow(/101 matched query-target pairs exceed the limit of 100/);
  });
});
