import { isAnomalyMap, VadImage } from '@vad/core';

/**
 * A workflow output as plain JSON for JSON lines, webhooks and saved frames: images become
 * `{type: "image", id, width, height}`, anomaly maps their size, typed arrays lists.
 */
export function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object') return value;
  if (VadImage.isImage(value)) return { type: 'image', id: value.id, width: value.width, height: value.height };
  if (isAnomalyMap(value)) return { kind: 'anomaly_map', width: value.width, height: value.height, ...(value.threshold !== undefined && { threshold: value.threshold }) };
  if (ArrayBuffer.isView(value)) return Buffer.isBuffer(value) ? { type: 'bytes', length: value.length } : Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(toJsonValue);
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) result[key] = toJsonValue(child);
  return result;
}

/** Reads `a.b.c` from an output record. */
export function readPath(record: Record<string, unknown>, dottedPath: string): unknown {
  let value: unknown = record;
  for (const key of dottedPath.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
