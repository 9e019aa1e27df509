import { describe, expect, it } from 'vitest';
import type { Corners } from './box-iou.js';
import type { TrackInput } from './byte-track.js';
import { IouTracker, type IouTrackerOptions } from './iou-tracker.js';

const box = (cx: number, cy: number): Corners => [cx - 20, cy - 40, cx + 20, cy + 40];
const detection = (cx: number, cy: number, confidence = 0.9): TrackInput => ({ corners: box(cx, cy), confidence });
const options = (mode: IouTrackerOptions['mode']): IouTrackerOptions => ({
  mode,
  trackActivationThreshold: 0.7,
  lostTrackBuffer: 30,
  minimumIouThreshold: 0.1,
  minimumConsecutiveFrames: 2,
  highConfidenceThreshold: 0.6,
  frameRate: 30,
});

describe('IouTracker (the trackers package association)', () => {
  it('gives an id from the minimum_consecutive_frames-th frame and keeps it for crossing objects', () => {
    const tracker = new IouTracker(options('bytetrack'));
    const frames = Array.from({ length: 25 }, (_, f) => [...tracker.update([detection(100 + f * 6, 200), detection(260 - f * 6, 230)])]);
    expect(frames[0]).toEqual([-1, -1]);
    for (const ids of frames.slice(1)) expect(ids).toEqual([1, 2]);
  });

  it('bytetrack continues a track with a low-confidence detection; sort does so only above the activation threshold for new tracks', () => {
    const byte = new IouTracker(options('bytetrack'));
    byte.update([detection(100, 200)]);
    byte.update([detection(103, 200)]);
    expect([...byte.update([detection(106, 200, 0.3)])]).toEqual([1]);
    // A low-confidence detection never starts a track.
    expect([...byte.update([detection(109, 200), detection(400, 100, 0.3)])]).toEqual([1, -1]);
    expect([...byte.update([detection(112, 200), detection(400, 100, 0.3)])]).toEqual([1, -1]);
  });

  it('drops a track that misses a frame before it matured, and one lost longer than the buffer', () => {
    const tracker = new IouTracker({ ...options('sort'), lostTrackBuffer: 3, trackActivationThreshold: 0.25 });
    tracker.update([detection(100, 200)]);
    tracker.update([]);
    // The first track never matured, so it died: this starts a new track, id only on its second match.
    expect([...tracker.update([detection(100, 200)])]).toEqual([-1]);
    expect([...tracker.update([detection(100, 200)])]).toEqual([1]);
    tracker.update([]);
    tracker.update([]);
    expect([...tracker.update([detection(100, 200)])]).toEqual([1]);
    for (let i = 0; i < 3; i++) tracker.update([]);
    tracker.update([detection(100, 200)]);
    expect([...tracker.update([detection(100, 200)])]).toEqual([2]);
  });
});
