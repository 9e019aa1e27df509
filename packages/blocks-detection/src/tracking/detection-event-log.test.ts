import type { Detection, Detections, RunContext } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { detectionEventLog } from './detection-event-log-block.js';

// The cases of Roboflow's unit tests (test_detection_event_log_v1.py), with the expected event
// sequences computed by hand from the block's rules.

const context: RunContext = { stepName: 'log', streamId: 's', signal: new AbortController().signal, warn: () => {} };

function tracked(ids: number[], classes?: string[]): Detections {
  return {
    image: { width: 1280, height: 720 },
    predictions: ids.map(
      (id, i): Detection => ({ x: i * 10 + 25, y: i * 10 + 25, width: 50, height: 50, confidence: 0.9, class: classes?.[i] ?? 'dog', class_id: i, detection_id: `d${i}`, parent_id: 'image', tracker_id: id }),
    ),
  };
}

/** A block instance with a fake clock that starts at 1726570875 s and advances 0.5 s a frame. */
async function createLog() {
  let milliseconds = 1_726_570_875_000;
  const instance = await detectionEventLog.create({ stepName: 'log', properties: {}, host: { clock: () => milliseconds } });
  return (detections: Detections, parameters: Record<string, unknown> = {}) => {
    const result = instance.run({ image: undefined as never, detections, frame_threshold: 5, flush_interval: 30, stale_frames: 300, ...parameters } as never, context) as Record<string, unknown>;
    milliseconds += 500;
    return result as {
      event_log: { logged: Record<string, Record<string, unknown>>; pending: Record<string, Record<string, unknown>> };
      total_logged: number;
      total_pending: number;
      complete_events: Record<string, Record<string, unknown>>;
      detections: Detections;
    };
  };
}

describe('detection_event_log', () => {
  it('a first detection creates a pending event with the frame, clock and relative times', async () => {
    const run = await createLog();
    const detections = tracked([1], ['dog']);
    const result = run(detections);
    expect(result.total_pending).toBe(1);
    expect(result.total_logged).toBe(0);
    expect(result.event_log.pending['1']).toEqual({
      tracker_id: 1,
      class_name: 'dog',
      first_seen_frame: 1,
      first_seen_timestamp: 1726570875,
      last_seen_frame: 1,
      last_seen_timestamp: 1726570875,
      first_seen_relative: 0,
      last_seen_relative: 0,
      frame_count: 1,
    });
    expect(result.complete_events).toEqual({});
    // The detections pass through unchanged.
    expect(result.detections).toBe(detections);
  });

  it('moves to logged once seen in frame_threshold frames; relative time is (frame − 1) / 30', async () => {
    const run = await createLog();
    const totals = [1, 2, 3, 4, 5].map(() => run(tracked([1], ['cat'])));
    expect(totals.map((r) => [r.total_pending, r.total_logged])).toEqual([[1, 0], [1, 0], [1, 0], [1, 0], [0, 1]]);
    const event = totals.at(-1)!.event_log.logged['1']!;
    expect(event).toMatchObject({ class_name: 'cat', frame_count: 5, first_seen_frame: 1, last_seen_frame: 5, first_seen_timestamp: 1726570875, last_seen_timestamp: 1726570877 });
    expect(event.last_seen_relative).toBeCloseTo(4 / 30, 12);
    expect(totals.at(-1)!.event_log.pending).toEqual({});
  });

  it('tracks several ids separately and adds new ones mid-stream', async () => {
    const run = await createLog();
    const first = run(tracked([1, 2, 3], ['dog', 'cat', 'person']));
    expect(Object.keys(first.event_log.pending)).toEqual(['1', '2', '3']);
    expect(first.event_log.pending['3']!.class_name).toBe('person');
    const second = run(tracked([1, 4], ['dog', 'cat']));
    expect(second.total_pending).toBe(4);
    expect(second.event_log.pending['1']!.frame_count).toBe(2);
    expect(second.event_log.pending['4']).toMatchObject({ frame_count: 1, first_seen_frame: 2 });
    expect(second.event_log.pending['4']!.first_seen_relative).toBeCloseTo(1 / 30, 12);
  });

  it('a frame without tracked detections leaves the log as it was but counts as a frame', async () => {
    const run = await createLog();
    run(tracked([1]));
    const empty = run({ image: { width: 1, height: 1 }, predictions: [] });
    expect(empty.total_pending).toBe(1);
    expect(empty.event_log.pending['1']!.frame_count).toBe(1);
    // Detections with no tracker_id are not logged.
    const untracked = tracked([1]);
    delete untracked.predictions[0]!.tracker_id;
    expect(run(untracked).total_pending).toBe(1);
    // The next sighting is frame 4 of the stream.
    expect(run(tracked([1])).event_log.pending['1']).toMatchObject({ frame_count: 2, last_seen_frame: 4 });
  });

  it('removes stale events at the flush interval and reports the logged ones once as complete events', async () => {
    const run = await createLog();
    const parameters = { frame_threshold: 1, flush_interval: 5, stale_frames: 3 };
    run(tracked([1], ['dog']), parameters);
    const frames = [2, 3, 4, 5, 6, 7].map(() => run(tracked([2], ['cat']), parameters));
    // Frames 2–5: no flush yet (the first flush is 5 frames after frame 1), tracker 1 stays logged.
    for (const result of frames.slice(0, 4)) {
      expect(Object.keys(result.event_log.logged)).toEqual(['1', '2']);
      expect(result.complete_events).toEqual({});
    }
    // Frame 6: flush; tracker 1 was last seen 5 > 3 frames ago.
    const flushed = frames[4]!;
    expect(Object.keys(flushed.event_log.logged)).toEqual(['2']);
    expect(flushed.event_log.pending).toEqual({});
    expect(flushed.complete_events).toEqual({
      '1': { tracker_id: 1, class_name: 'dog', first_seen_frame: 1, first_seen_timestamp: 1726570875, last_seen_frame: 1, last_seen_timestamp: 1726570875, first_seen_relative: 0, last_seen_relative: 0, frame_count: 1 },
    });
    expect(flushed.event_log.logged['2']).toMatchObject({ first_seen_frame: 2, last_seen_frame: 6, frame_count: 5 });
    expect(frames[5]!.complete_events).toEqual({});
  });

  it('drops stale pending events without reporting them as complete', async () => {
    const run = await createLog();
    const parameters = { frame_threshold: 3, flush_interval: 2, stale_frames: 1 };
    run(tracked([7]), parameters);
    run(tracked([]), parameters);
    // Frame 3: flush (3 − 1 ≥ 2); tracker 7, seen once (pending), last seen 2 > 1 frames ago.
    const third = run(tracked([]), parameters);
    expect(third.total_pending).toBe(0);
    expect(third.complete_events).toEqual({});
  });

  it('keeps separate logs per instance (the engine makes one per stream)', async () => {
    const first = await createLog();
    const second = await createLog();
    expect(first(tracked([1], ['dog'])).event_log.pending['1']!.class_name).toBe('dog');
    expect(second(tracked([1], ['cat'])).event_log.pending['1']!.class_name).toBe('cat');
  });

  it('falls back to class_<class_id> without a class name, and names the property of a bad parameter', async () => {
    const run = await createLog();
    const detections = tracked([1]);
    delete (detections.predictions[0] as Partial<Detection>).class;
    detections.predictions[0]!.class_id = 42;
    expect(run(detections).event_log.pending['1']!.class_name).toBe('class_42');
    expect(() => run(tracked([1]), { frame_threshold: 0 })).toThrow(/frame_threshold/);
    expect(() => run(tracked([1]), { fallback_fps: 0 })).toThrow(/fallback_fps/);
    expect(() => run({ predictions: 'x' } as never)).toThrow(expect.objectContaining({ stepName: 'log', property: 'detections' }));
  });
});
