import { loadSharp, serializeValue as serializeWithVisitor, summarizeAnomalyMap, type AnomalyMap } from '@vad/core';

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

async function anomalyMapPng(map: AnomalyMap, min: number, max: number): Promise<string> {
  const sharp = await loadSharp();
  const scale = max > min ? 255 / (max - min) : 0;
  const gray = new Uint8ClampedArray(map.data.length);
  for (let i = 0; i < gray.length; i++) gray[i] = (map.data[i]! - min) * scale; // Uint8ClampedArray clamps and rounds
  const png = await sharp(new Uint8Array(gray.buffer), { raw: { width: map.width, height: map.height, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 6 }).toBuffer();
  return png.toString('base64');
}

/**
 * Turns run outputs into JSON for HTTP: images become `{type: "base64", value}` (Roboflow's shape),
 * anomaly maps follow `anomalyMaps`; everything else is core's `serializeValue`.
 */
export function serializeValue(value: unknown, options: SerializeOptions = defaultSerializeOptions): Promise<unknown> {
  return serializeWithVisitor(value, {
    async image(image) {
      const bytes = await image.encode(options.imageFormat, { quality: options.jpegQuality });
      return { type: 'base64', value: bytes.toString('base64'), width: image.width, height: image.height };
    },
    async anomalyMap(map) {
      const summary = summarizeAnomalyMap(map);
      if (options.anomalyMaps === 'png') return { ...summary, image: { type: 'base64', value: await anomalyMapPng(map, summary.min ?? 0, summary.max ?? 0) } };
      if (options.anomalyMaps === 'values') return { ...summary, values: Array.from(map.data, (v) => (Number.isFinite(v) ? v : null)) };
      return summary;
    },
  });
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
