import { isAnomalyMap, isDetections, loadSharp, VadImage, type AnomalyMap } from '@vad/core';

/**
 * How anomaly maps are returned (request field `anomaly_maps`, our extension):
 * - `"summary"` (default): `{type: "anomaly_map", width, height, min, max, mean, threshold}`;
 * - `"png"`: the summary plus `image: {type: "base64", value}`, an 8-bit grayscale PNG where 0
 *   is `min` and 255 is `max`;
 * - `"values"`: the summary plus `values`, the row-major scores as a number array.
 * Maps are large (a float per pixel) and workflows normally turn them into an overlay image or
 * regions, so they are summarised unless asked for.
 */
export type AnomalyMapFormat = 'summary' | 'png' | 'values';

export interface SerializeOptions {
  anomalyMaps: AnomalyMapFormat;
  imageFormat: 'jpeg' | 'png';
  jpegQuality: number;
}

export const defaultSerializeOptions: SerializeOptions = { anomalyMaps: 'summary', imageFormat: 'jpeg', jpegQuality: 90 };

function summarise(map: AnomalyMap) {
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
  return { type: 'anomaly_map', width: map.width, height: map.height, min: finite(min), max: finite(max), mean: finite(sum / Math.max(1, data.length)), threshold: map.threshold ?? null, image_id: map.imageId ?? null };
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

async function anomalyMapPng(map: AnomalyMap, min: number, max: number): Promise<string> {
  const sharp = await loadSharp();
  const scale = max > min ? 255 / (max - min) : 0;
  const gray = new Uint8ClampedArray(map.data.length);
  for (let i = 0; i < gray.length; i++) gray[i] = (map.data[i]! - min) * scale; // Uint8ClampedArray clamps and rounds
  const png = await sharp(new Uint8Array(gray.buffer), { raw: { width: map.width, height: map.height, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 6 }).toBuffer();
  return png.toString('base64');
}

/** Turns run outputs into JSON: images become `{type: "base64", value}`, typed arrays number arrays. */
export async function serializeValue(value: unknown, options: SerializeOptions = defaultSerializeOptions): Promise<unknown> {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object') return null;
  if (VadImage.isImage(value)) {
    const bytes = await value.encode(options.imageFormat, { quality: options.jpegQuality });
    return { type: 'base64', value: bytes.toString('base64'), width: value.width, height: value.height };
  }
  if (isAnomalyMap(value)) {
    const summary = summarise(value);
    if (options.anomalyMaps === 'png') return { ...summary, image: { type: 'base64', value: await anomalyMapPng(value, summary.min ?? 0, summary.max ?? 0) } };
    if (options.anomalyMaps === 'values') return { ...summary, values: Array.from(value.data, (v) => (Number.isFinite(v) ? v : null)) };
    return summary;
  }
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? Number(v) : Number.isFinite(v) ? v : null));
  if (Array.isArray(value)) return Promise.all(value.map((item) => serializeValue(item, options)));
  if (value instanceof Map) return serializeValue(Object.fromEntries(value), options);
  if (value instanceof Set) return serializeValue([...value], options);
  if (value instanceof Date) return value.toISOString();
  const entries = Object.entries(value as Record<string, unknown>).filter(([key]) => !(isDetections(value) && key === 'lineage'));
  const out: Record<string, unknown> = {};
  await Promise.all(entries.map(async ([key, item]) => {
    if (typeof item === 'function') return;
    out[key] = await serializeValue(item, options);
  }));
  // Keep the original key order (Promise.all above fills `out` out of order).
  return Object.fromEntries(entries.filter(([key]) => key in out).map(([key]) => [key, out[key]]));
}

/** One JSON record per input image, with `excluded_fields` left out. */
export async function serializeOutputs(outputs: Record<string, unknown>[], options: SerializeOptions, excluded: readonly string[] = []): Promise<Record<string, unknown>[]> {
  return Promise.all(
    outputs.map(async (record) => {
      const kept = Object.entries(record).filter(([name]) => !excluded.includes(name));
      const values = await Promise.all(kept.map(([, value]) => serializeValue(value, options)));
      return Object.fromEntries(kept.map(([name], index) => [name, values[index]]));
    }),
  );
}
