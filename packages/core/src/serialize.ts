import { VadImage } from './image.js';
import { isAnomalyMap, isDetections, type AnomalyMap } from './values.js';

export interface SerializeVisitor {
  /** How an image becomes JSON (base64 for HTTP, a file path for the CLI). `path` is like `outputs[0].overlay`. */
  image(image: VadImage, path: string): unknown | Promise<unknown>;
  /** How an anomaly map becomes JSON; default: its size, threshold and score range, without the pixels. */
  anomalyMap?(map: AnomalyMap, path: string): unknown | Promise<unknown>;
}

/**
 * Turns workflow outputs into plain JSON: images and anomaly maps through the visitor, typed
 * arrays into number arrays, detections into Roboflow's shape (the internal lineage is dropped).
 */
export async function serializeValue(value: unknown, visitor: SerializeVisitor, path = ''): Promise<unknown> {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  if (VadImage.isImage(value)) return visitor.image(value, path);
  if (isAnomalyMap(value)) return visitor.anomalyMap ? visitor.anomalyMap(value, path) : summarizeAnomalyMap(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return Promise.all(value.map((item, index) => serializeValue(item, visitor, `${path}[${index}]`)));
  if (isDetections(value)) return { image: value.image, predictions: value.predictions };
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = await serializeValue(item, visitor, path ? `${path}.${key}` : key);
  return out;
}

export function summarizeAnomalyMap(map: AnomalyMap) {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < map.data.length; i++) {
    const v = map.data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { type: 'anomaly_map', width: map.width, height: map.height, threshold: map.threshold ?? null, min, max };
}
