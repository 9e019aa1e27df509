import { describe, expect, it } from 'vitest';
import type { Corners } from './box-iou.js';
import { ByteTracker, type TrackInput } from './byte-track.js';

const box = (cx: number, cy: number, w = 40, h = 80): Corners => [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
const detection = (cx: number, cy: number, confidence = 0.9): TrackInput => ({ corners: box(cx, cy), confidence });

describe('ByteTracker (supervision semantics)', () => {
  it('keeps the ids of two objects that cross, and gives a track its id from its first frame on frame 1', () => {
    const tracker = new ByteTracker();
    const history: number[][] = [];
    for (let frame = 0; frame < 30; frame++) {
      // A moves right, B moves left on a line 30 px lower; they cross near frame 15.
      const a = detection(100 + frame * 6, 200);
      const b = detection(280 - frame * 6, 230);
      history.push([...tracker.update([a, b])]);
    }
    expect(history[0]).toEqual([1, 2]);
    for (const ids of history) expect(ids).toEqual([1, 2]);
  });

  it('re-finds an object that disappears within lost_track_buffer, and gives a new id after it', () => {
    const tracker = new ByteTracker({ lostTrackBuffer: 5 });
    const seen: number[][] = [];
    const at = (frame: number) => detection(100 + frame * 3, 200);
    for (let frame = 0; frame < 10; frame++) seen.push([...tracker.update([at(frame)])]);
    // Gone for 4 frames (≤ 5): the Kalman prediction carries it on and it comes back as 1.
    for (let frame = 10; frame < 14; frame++) expect([...tracker.update([])]).toEqual([]);
    for (let frame = 14; frame < 20; frame++) seen.push([...tracker.update([at(frame)])]);
    expect(seen.every((ids) => ids[0] === 1)).toBe(true);
    // Gone for 10 frames (> 5 + the frame supervision keeps a removed track): a new track. Its
    // id is handed out when it starts, but it is reported from its second frame on (supervision
    // confirms tracks born after frame 1 by a second match).
    for (let frame = 20; frame < 30; frame++) tracker.update([]);
    expect([...tracker.update([at(30)])]).toEqual([-1]);
    expect([...tracker.update([at(31)])]).toEqual([2]);
    expect([...tracker.update([at(32)])]).toEqual([2]);
  });

  it('scales the lost-track buffer by frame_rate / 30', () => {
    // 15 fps halves a 10-frame buffer to 5: a 7-frame gap is too long; at 30 fps it is not.
    const run = (frameRate: number) => {
      const tracker = new ByteTracker({ lostTrackBuffer: 10, frameRate });
      for (let frame = 0; frame < 5; frame++) tracker.update([detection(100, 200)]);
      for (let frame = 0; frame < 7; frame++) tracker.update([]);
      return [...tracker.update([detection(100, 200)])][0];
    };
    expect(run(30)).toBe(1);
    expect(run(15)).toBe(-1);
  });

  it('keeps a track through a low-confidence frame (second association), but does not start one from it', () => {
    const tracker = new ByteTracker();
    tracker.update([detection(100, 200, 0.9)]);
    tracker.update([detection(104, 200, 0.9)]);
    // 0.2 is under track_activation_threshold 0.25 but above 0.1: it still continues track 1.
    expect([...tracker.update([detection(108, 200, 0.2)])]).toEqual([1]);
    // A new low-confidence object far away starts nothing.
    expect([...tracker.update([detection(112, 200, 0.9), detection(400, 100, 0.2)])]).toEqual([1, -1]);
    expect([...tracker.update([detection(116, 200, 0.9), detection(400, 100, 0.2)])]).toEqual([1, -1]);
    // Between the threshold and threshold + 0.1, a detection neither starts a track.
    expect([...tracker.update([detection(120, 200, 0.9), detection(400, 100, 0.3)])]).toEqual([1, -1]);
    expect([...tracker.update([detection(124, 200, 0.9), detection(400, 100, 0.3)])]).toEqual([1, -1]);
  });

  it('with minimum_consecutive_frames 3, reports a track only once it has been matched three times', () => {
    const tracker = new ByteTracker({ minimumConsecutiveFrames: 3 });
    const ids = Array.from({ length: 6 }, (_, frame) => [...tracker.update([detection(100 + frame * 2, 200)])][0]);
    expect(ids).toEqual([-1, -1, -1, 1, 1, 1]);
  });

  it('gives separate trackers separate id counters', () => {
    const first = new ByteTracker();
    const second = new ByteTracker();
    first.update([detection(100, 200), detection(300, 200)]);
    expect([...second.update([detection(100, 200)])]).toEqual([1]);
  });
});
