import { VadImage } from './image.js';
import { isAnomalyMap, isDetections, type AnomalyMap } from './values.js';

export interface SerializeVisitor {
  /** How an image becomes JSON (base64 for HTTP, a file path for the CLI). `path` is like `[0].overlay`. */
  image(image: VadImage, path: string): unknown | Promise<unknown>;
  /** How an anomaly map becomes JSON; default: `summarizeAnomalyMap` (size, range, mean, threshold). */
  anomalyMap?(map: AnomalyMap, path: string): unknown | Promise<unknown>;
}

/**
 * Turns workflow outputs into plain JSON: images and anomaly maps through the visitor, typed
 * arrays into number arrays, non-finite numbers into null, Maps/Sets/Dates into their JSON
 * forms, detections into Roboflow's shape (the internal lineage is dropped). Key order is kept.
 */
export async function serializeValue(value: unknown, visitor: SerializeVisitor, path = ''): Promise<unknown> {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object') return null;
  if (VadImage.isImage(value)) return visitor.image(value, path);
  if (isAnomalyMap(value)) return visitor.anomalyMap ? visitor.anomalyMap(value, path) : summarizeAnomalyMap(value);
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? Number(v) : Number.isFinite(v) ? v : null));
  }
  if (Array.isArray(value)) return Promise.all(value.map((item, index) => serializeValue(item, visitor, `${path}[${index}]`)));
  if (value instanceof Map) return serializeValue(Object.fromEntries(value), visitor, path);
  if (value instanceof Set) return serializeValue([...value], visitor, path);
  if (value instanceof Date) return value.toISOString();
  const entries = Object.entries(value).filter(([key, item]) => typeof item !== 'function' && !(key === 'lineage' && isDetections(value)));
  const serialized = await Promise.all(entries.map(([key, item]) => serializeValue(item, visitor, path ? `${path}.${key}` : key)));
  return Object.fromEntries(entries.map(([key], index) => [key, serialized[index]]));
}

/** Size, score range, mean and threshold of a map, without its pixels. */
export function summarizeAnomalyMap(map: AnomalyMap) {
  const { data } = map;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return { type: 'anomaly_map', width: map.width, height: map.height, min: finite(min), max: finite(max), mean: finite(sum / Math.max(1, data.length)), threshold: map.threshold ?? null, image_id: map.imageId ?? null };
}
