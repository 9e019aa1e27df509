import { InvalidInputError, isDetections, type Detection, type Detections } from '@vad/core';
import type { TrackInput } from './byte-track.js';
import { InstanceCache } from './instance-cache.js';

/** Checks that a value is detections, naming the step and property when not. */
export function requireDetections(value: unknown, stepName: string, property: string): Detections {
  if (!isDetections(value)) throw new InvalidInputError({ message: 'expected object detection predictions ({image: {width, height}, predictions: [...]})', stepName, property });
  return value;
}

/** Each detection's box corners and confidence, as a tracker takes them. */
export function trackInputs(detections: Detections): TrackInput[] {
  return detections.predictions.map((p) => ({
    corners: [p.x - p.width / 2, p.y - p.height / 2, p.x + p.width / 2, p.y + p.height / 2] as const,
    confidence: p.confidence,
  }));
}

export interface TrackerOutputs {
  tracked_detections: Detections;
  new_instances: Detections;
  already_seen_instances: Detections;
}

/**
 * The detections that got a tracker id, with `tracker_id` set (Roboflow serialises it on each
 * prediction), split into first appearances and ids the stream has shown before.
 */
export function trackerOutputs(detections: Detections, ids: Int32Array, cache: InstanceCache): TrackerOutputs {
  const tracked: Detection[] = [];
  const fresh: Detection[] = [];
  const seen: Detection[] = [];
  detections.predictions.forEach((prediction, i) => {
    const id = ids[i]!;
    if (id === -1) return;
    const detection = { ...prediction, tracker_id: id };
    tracked.push(detection);
    (cache.record(id) ? seen : fresh).push(detection);
  });
  const envelope = (predictions: Detection[]): Detections => ({ ...detections, predictions });
  return { tracked_detections: envelope(tracked), new_instances: envelope(fresh), already_seen_instances: envelope(seen) };
}

/** A number from a selector or literal, checked, with the step and property named when wrong. */
export function numberInput(value: unknown, fallback: number, where: { stepName: string; property: string; integer?: boolean; min?: number; max?: number }): number {
  if (value === undefined || value === null) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && (!where.integer || Number.isInteger(value)) && (where.min === undefined || value >= where.min) && (where.max === undefined || value <= where.max);
  if (!ok) {
    const range = where.max !== undefined ? ` between ${where.min} and ${where.max}` : where.min !== undefined ? ` of at least ${where.min}` : '';
    throw new InvalidInputError({ message: `invalid value ${JSON.stringify(value)} for ${where.property}: expected ${where.integer ? 'an integer' : 'a number'}${range}`, stepName: where.stepName, property: where.property });
  }
  return value;
}
