import type { Detection, Detections } from '@vad/core';

/**
 * Roboflow's detection event log (`roboflow_core/detection_event_log@v1`) for one stream: for each
 * tracker id, its class and when it was first and last seen (frame number of the stream, absolute
 * time, time since the stream started) and in how many frames. An event is pending until it has
 * been seen in `frameThreshold` frames, logged from then on. Every `flushInterval` frames, events
 * not seen for more than `staleFrames` frames are removed; those that were logged come back once as
 * complete events.
 */
export interface DetectionEvent {
  tracker_id: number;
  class_name: string;
  first_seen_frame: number;
  /** Seconds since the epoch. */
  first_seen_timestamp: number;
  last_seen_frame: number;
  last_seen_timestamp: number;
  /** Seconds since the stream's first frame. */
  first_seen_relative: number;
  last_seen_relative: number;
  frame_count: number;
}

export interface EventLogSettings {
  frameThreshold: number;
  flushInterval: number;
  staleFrames: number;
}

/** How a frame is placed in time. */
export interface FrameTime {
  /** Absolute time of the frame, seconds since the epoch. */
  readonly timestamp: number;
  /** Frames per second, for the time since the stream started. */
  readonly fps: number;
}

export interface EventLogOutputs {
  event_log: { logged: Record<string, DetectionEvent>; pending: Record<string, DetectionEvent> };
  total_logged: number;
  total_pending: number;
  complete_events: Record<string, DetectionEvent>;
}

export class DetectionEventLog {
  readonly #events = new Map<number, DetectionEvent>();
  #frame = 0;
  #lastFlush: number | undefined;

  /** One frame's tracked detections (those without a tracker_id are ignored). */
  update(detections: Detections, settings: EventLogSettings, time: FrameTime): EventLogOutputs {
    const frame = ++this.#frame;
    // Roboflow's relative time without frame timestamps: the stream's own frame count over fps.
    const relative = (frame - 1) / time.fps;
    this.#lastFlush ??= frame;
    let complete: DetectionEvent[] = [];
    if (frame - this.#lastFlush >= settings.flushInterval) {
      complete = this.#removeStale(frame, settings);
      this.#lastFlush = frame;
    }
    for (const detection of detections.predictions) {
      const trackerId = detection.tracker_id;
      if (typeof trackerId !== 'number' || !Number.isInteger(trackerId)) continue;
      const event = this.#events.get(trackerId);
      if (event) {
        event.last_seen_frame = frame;
        event.last_seen_timestamp = time.timestamp;
        event.last_seen_relative = relative;
        event.frame_count++;
      } else {
        this.#events.set(trackerId, {
          tracker_id: trackerId,
          class_name: className(detection),
          first_seen_frame: frame,
          first_seen_timestamp: time.timestamp,
          last_seen_frame: frame,
          last_seen_timestamp: time.timestamp,
          first_seen_relative: relative,
          last_seen_relative: relative,
          frame_count: 1,
        });
      }
    }
    const logged: Record<string, DetectionEvent> = {};
    const pending: Record<string, DetectionEvent> = {};
    for (const [id, event] of this.#events) (event.frame_count >= settings.frameThreshold ? logged : pending)[String(id)] = { ...event };
    return {
      event_log: { logged, pending },
      total_logged: Object.keys(logged).length,
      total_pending: Object.keys(pending).length,
      complete_events: Object.fromEntries(complete.map((event) => [String(event.tracker_id), event])),
    };
  }

  /** Removes events unseen for more than staleFrames frames; returns the removed ones that were logged. */
  #removeStale(frame: number, settings: EventLogSettings): DetectionEvent[] {
    const complete: DetectionEvent[] = [];
    for (const [id, event] of this.#events) {
      if (frame - event.last_seen_frame <= settings.staleFrames) continue;
      this.#events.delete(id);
      if (event.frame_count >= settings.frameThreshold) complete.push(event);
    }
    return complete;
  }
}

/** Roboflow takes the detections' class names, else `class_<class_id>`, else "unknown". */
function className(detection: Detection): string {
  if (typeof detection.class === 'string') return detection.class;
  if (Number.isInteger(detection.class_id)) return `class_${detection.class_id}`;
  return 'unknown';
}
