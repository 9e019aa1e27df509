import { describe, expect, it } from 'vitest';
import type { Corners } from './box-iou.js';
import type { TrackInput } from './byte-track.js';
import { IouTracker } from './iou-tracker.js';
import { OcSortTracker } from './oc-sort.js';
import { boxToObservation, initiateOcSortState, predictOcSortState, updateOcSortState } from './ocsort-kalman-filter.js';

const box = (cx: number, cy: number): Corners => [cx - 20, cy - 40, cx + 20, cy + 40];
const detection = (cx: number, cy: number, confidence = 0.9): TrackInput => ({ corners: box(cx, cy), confidence });
/** The filter after a track's first box and updates by the rest, one frame apart. */
function stateAfter(boxes: readonly Corners[]) {
  let state = initiateOcSortState(boxes[0]!);
  for (const corners of boxes.slice(1)) state = updateOcSortState(predictOcSortState(state), boxToObservation(corners));
  return state;
}

/** vad's SORT (the trackers_sort block's tracker) with OC-SORT's thresholds, for comparison. */
const sort = () => new IouTracker({ mode: 'sort', trackActivationThreshold: 0.6, lostTrackBuffer: 30, minimumIouThreshold: 0.3, minimumConsecutiveFrames: 3, highConfidenceThreshold: 0, frameRate: 30 });

describe('OC-SORT (the trackers package’s OCSORTTracker)', () => {
  it('ids from the second frame in the stream’s first frames; crossing objects keep theirs', () => {
    const tracker = new OcSortTracker();
    // Two boxes crossing: one moves right, the other left, 30 px apart vertically, overlapping for ~7 frames.
    const frames = Array.from({ length: 25 }, (_, f) => [...tracker.update([detection(100 + f * 6, 200), detection(260 - f * 6, 230)])]);
    // Frame 1 only starts tracks; from frame 2 (the package's frame_count ≤ minimum_consecutive_frames rule) they are reported.
    expect(frames[0]).toEqual([-1, -1]);
    for (const ids of frames.slice(1)) expect(ids).toEqual([0, 1]);
  });

  it('drops detections below high_conf_det_threshold; a later track needs minimum_consecutive_frames matches after its first', () => {
    const tracker = new OcSortTracker();
    for (let f = 0; f < 5; f++) expect([...tracker.update([detection(100 + f * 5, 200), detection(400, 300, 0.5)])]).toEqual([f === 0 ? -1 : 0, -1]);
    // A third object appears at frame 6: spawned (-1), then 1 and 2 consecutive matches (-1), id on the third.
    const late = [5, 6, 7, 8].map((f) => tracker.update([detection(100 + f * 5, 200), detection(300, 100)])[1]);
    expect(late).toEqual([-1, -1, -1, 1]);
  });

  it('keeps the id through an occlusion within the buffer (hidden for two frames after it, while matches count up again) and forgets it past the buffer', () => {
    const tracker = new OcSortTracker({ lostTrackBuffer: 10 });
    let f = 0;
    const step = (visible: boolean) => {
      const ids = [...tracker.update(visible ? [detection(100 + f * 5, 200)] : [])];
      f++;
      return ids;
    };
    for (let i = 0; i < 10; i++) step(true);
    expect(step(true)).toEqual([0]);
    for (let i = 0; i < 8; i++) expect(step(false)).toEqual([]);
    expect([step(true), step(true), step(true), step(true)]).toEqual([[-1], [-1], [0], [0]]);
    // Lost for 12 frames > lost_track_buffer 10: the track is gone, a new one starts.
    for (let i = 0; i < 12; i++) step(false);
    expect([step(true), step(true), step(true), step(true)]).toEqual([[-1], [-1], [-1], [1]]);
  });

  it('recovers an object that stopped while occluded by its last observation (OCR), where SORT’s drifting prediction loses it', () => {
    // Moves right 8 px a frame for 12 frames, is hidden for 6 frames during which it stops, and reappears where it was last seen.
    const frames: TrackInput[][] = [];
    for (let f = 0; f < 12; f++) frames.push([detection(100 + f * 8, 200)]);
    for (let f = 0; f < 6; f++) frames.push([]);
    for (let f = 0; f < 6; f++) frames.push([detection(100 + 11 * 8 + 2, 200)]);
    const ocSort = new OcSortTracker();
    const baseline = sort();
    const ocIds = frames.map((d) => [...ocSort.update(d)]);
    const sortIds = frames.map((d) => [...baseline.update(d)]);
    expect(ocIds[11]).toEqual([0]);
    expect(sortIds[11]).toEqual([1]);
    // After the gap: OC-SORT shows id 0 again once three matches follow; SORT has started a new track (its prediction ran ~50 px ahead, IoU 0).
    expect(ocIds.slice(18)).toEqual([[-1], [-1], [0], [0], [0], [0]]);
    expect(sortIds.slice(18).at(-1)).toEqual([2]);
    expect(ocSort.tracks().map((t) => t.trackerId)).toEqual([0]);
  });

  it('re-updates the filter along a virtual trajectory when a lost track returns (ORU): its velocity follows the turn made while unobserved', () => {
    // Right at 10 px a frame for 8 frames; hidden for 4 frames during which it turns and moves down 10 px a frame.
    const seen = Array.from({ length: 8 }, (_, f) => box(100 + f * 10, 200));
    const last = seen.at(-1)!;
    const back = box(170, 240);
    const tracker = new OcSortTracker();
    for (const corners of seen) tracker.update([{ corners, confidence: 0.9 }]);
    for (let f = 0; f < 4; f++) tracker.update([]);
    tracker.update([{ corners: back, confidence: 0.9 }]);
    const [track] = tracker.tracks();
    expect(track!.trackerId).toBe(0);
    expect(track!.timeSinceUpdate).toBe(0);

    // By hand, the package's ORU: back to the filter as predicted one frame after the last
    // observation, then for each of the 5 frames since, an update with the box interpolated from the
    // last observation to the new one (and a prediction between), then the real update.
    let replay = predictOcSortState(stateAfter(seen));
    const gap = 5;
    for (let i = 1; i <= gap; i++) {
      const t = i / gap;
      const w = 40;
      const h = 80;
      replay = updateOcSortState(replay, [170, 200 + t * 40, w * h, w / h]);
      if (i < gap) replay = predictOcSortState(replay);
    }
    replay = updateOcSortState(replay, boxToObservation(back));
    track!.mean.forEach((v, i) => expect(v).toBeCloseTo(replay.mean[i]!, 6));

    // The same filter without the re-update: predicted through the gap, then corrected once.
    let plain = stateAfter(seen);
    for (let f = 0; f < gap; f++) plain = predictOcSortState(plain);
    plain = updateOcSortState(plain, boxToObservation(back));
    // The re-updated velocity turns further towards the motion made while unobserved (down, not right).
    const [vx, vy] = [track!.mean[4]!, track!.mean[5]!];
    expect(vy).toBeGreaterThan(plain.mean[5]! + 0.1);
    expect(vx).toBeLessThan(plain.mean[4]! - 0.1);
    expect(track!.mean[1]).toBeGreaterThan(plain.mean[1]! + 1);
  });

  it('direction consistency (OCM) decides between two detections of nearly equal overlap', () => {
    // A track moving right 10 px a frame; next frame, candidate A lies straight ahead of the
    // prediction (12 px right), candidate B below it (23 px down): B overlaps the prediction a
    // little more (IoU 0.553 against 0.538), A lies along the motion (angle 0° from the observation
    // 3 frames back, B ~30°), worth 0.2 × 0.9 × (0.5 − 0.33) ≈ 0.03 > the IoU gap of 0.015.
    const run = (weight: number) => {
      const tracker = new OcSortTracker({ directionConsistencyWeight: weight });
      for (let f = 0; f < 6; f++) tracker.update([detection(100 + f * 10, 200)]);
      const [x, y] = tracker.tracks()[0]!.mean;
      // The prediction is one step of the velocity ahead.
      const [px, py] = [x! + tracker.tracks()[0]!.mean[4]!, y! + tracker.tracks()[0]!.mean[5]!];
      return [...tracker.update([detection(px, py + 23), detection(px + 12, py)])];
    };
    expect(run(0)).toEqual([0, -1]);
    expect(run(0.2)).toEqual([-1, 0]);
  });
});
