import { isDetections } from '@vad/core';
import { readPath } from './json-value.js';

export interface AnomalyRule {
  /** Output name, or a dotted path into an output (`patchcore.is_anomalous`). */
  output: string;
  /** For numeric outputs: anomalous when the value is at least this. */
  threshold?: number;
}

/**
 * Whether a frame's outputs mean "anomaly": a boolean is itself; a number is compared with
 * `threshold` (without one, any non-zero number counts, e.g. a count of defects); detections
 * and lists count when they are not empty.
 */
export function isAnomalous(outputs: Record<string, unknown>, rule: AnomalyRule): boolean {
  const value = readPath(outputs, rule.output);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return rule.threshold === undefined ? value !== 0 && !Number.isNaN(value) : value >= rule.threshold;
  if (isDetections(value)) return value.predictions.length > 0;
  if (Array.isArray(value)) return value.some((item) => (typeof item === 'boolean' ? item : item != null));
  return false;
}
