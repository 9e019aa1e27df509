import { readFile } from 'node:fs/promises';
import { decodeModel } from '@vad/models';
/**
 * Class names stored in an ONNX model's metadata: Ultralytics writes `names` as a Python dict
 * (`{0: 'person', 1: 'bicycle'}`); others write a JSON list or object under `names`,
 * `class_names` or `labels`. Undefined when none is found.
 */
export function classNamesFromMetadata(entries: ReadonlyArray<{ key: string; value: string }>): string[] | undefined {
  for (const key of ['names', 'class_names', 'labels', 'classes']) {
    const entry = entries.find((e) => e.key === key);
    if (!entry) continue;
    const text = entry.value.trim();
    try {
      const parsed = JSON.parse(text) as unknown;
      if (Array.isArray(parsed) && parsed.every((n) => typeof n === 'string')) return parsed;
      if (parsed && typeof parsed === 'object') return namesFromPairs(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [Number(k), String(v)]));
    } catch {
      // not JSON: a Python dict literal
    }
    const pairs = [...text.matchAll(/(\d+)\s*:\s*(['"])(.*?)\2/g)].map((m) => [Number(m[1]), m[3]!] as [number, string]);
    if (pairs.length > 0) return namesFromPairs(pairs);
  }
  return undefined;
}

function namesFromPairs(pairs: Array<[number, string]>): string[] | undefined {
  const names: string[] = [];
  for (const [index, name] of pairs) {
    if (!Number.isInteger(index) || index < 0) return undefined;
    names[index] = name;
  }
  return names.length === pairs.length ? names : undefined;
}

/** The class names in an ONNX file's metadata (see classNamesFromMetadata), or undefined. */
export async function classNamesOfModelFile(file: string, name: string): Promise<string[] | undefined> {
  return classNamesFromMetadata(await metadataOfModelFile(file, name));
}

/** An ONNX file's metadata entries (`metadata_props`). */
export async function metadataOfModelFile(file: string, name: string): Promise<Array<{ key: string; value: string }>> {
  return decodeModel(new Uint8Array(await readFile(file)), { name }).metadataProps;
}
