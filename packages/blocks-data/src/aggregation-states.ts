import { isDetections } from '@vad/core';

export const aggregationModes = ['sum', 'avg', 'max', 'min', 'count', 'distinct', 'count_distinct', 'values_counts', 'values_difference'] as const;
export type AggregationMode = (typeof aggregationModes)[number];

/** One running aggregate: fed a value per run, read when the interval ends. */
export interface AggregationState {
  add(value: unknown): void;
  result(): unknown;
}

/** Fails with a message the block turns into an error naming the field. */
export class AggregationValueError extends Error {}

function numeric(value: unknown, mode: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return Number(value);
  throw new AggregationValueError(`${mode} needs numbers, got ${JSON.stringify(value) ?? String(value)}`);
}

/** Lists (not detections) spread into their elements, as Roboflow's distinct states do. */
const elements = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
/** A Python-hashable value as a Map key: primitives themselves, structures by their JSON. */
const keyOf = (value: unknown): unknown => (value !== null && typeof value === 'object' ? JSON.stringify(value) : value);

function lengthOf(value: unknown): number | undefined {
  if (isDetections(value)) return value.predictions.length;
  if (Array.isArray(value) || typeof value === 'string') return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

function extreme(mode: 'max' | 'min'): AggregationState {
  let best: number | string | undefined;
  return {
    add(value) {
      const v = typeof value === 'string' ? value : numeric(value, mode);
      if (best === undefined || (mode === 'max' ? v > best : v < best)) best = v;
    },
    result: () => best ?? null,
  };
}

export function createAggregationState(mode: AggregationMode): AggregationState {
  switch (mode) {
    case 'sum': {
      let sum = 0;
      return { add: (value) => void (sum += numeric(value, mode)), result: () => sum };
    }
    case 'avg': {
      let sum = 0;
      let n = 0;
      return { add: (value) => void ((sum += numeric(value, mode)), n++), result: () => (n > 0 ? sum / n : null) };
    }
    case 'max': case 'min': return extreme(mode);
    case 'count': {
      let count = 0;
      return { add: (value) => void (count += lengthOf(value) ?? 1), result: () => count };
    }
    case 'distinct': case 'count_distinct': {
      const seen = new Map<unknown, unknown>();
      return {
        add: (value) => elements(value).forEach((v) => seen.has(keyOf(v)) || seen.set(keyOf(v), v)),
        result: () => (mode === 'distinct' ? [...seen.values()] : seen.size),
      };
    }
    case 'values_counts': {
      const counts = new Map<string, number>();
      return {
        add: (value) => elements(value).forEach((v) => counts.set(String(keyOf(v)), (counts.get(String(keyOf(v))) ?? 0) + 1)),
        result: () => Object.fromEntries(counts),
      };
    }
    case 'values_difference': {
      let low: number | undefined;
      let high: number | undefined;
      let n = 0;
      return {
        add(value) {
          const v = numeric(value, mode);
          low = low === undefined ? v : Math.min(low, v);
          high = high === undefined ? v : Math.max(high, v);
          n++;
        },
        result: () => (n >= 2 ? high! - low! : null),
      };
    }
  }
}
