import type { KeypointShape } from '../decoders/yolov8-pose.js';

type MetadataEntries = ReadonlyArray<{ key: string; value: string }>;

/** Ultralytics' `kpt_shape` metadata (`[17, 3]`), or undefined when absent or not two positive integers. */
export function keypointShapeFromMetadata(entries: MetadataEntries): KeypointShape | undefined {
  const entry = entries.find((e) => e.key === 'kpt_shape');
  const numbers = entry?.value.match(/\d+/g)?.map(Number);
  if (!numbers || numbers.length !== 2 || numbers.some((n) => !Number.isInteger(n) || n < 1)) return undefined;
  return [numbers[0]!, numbers[1]!];
}

/** A Python literal of strings, lists and int-keyed dicts (as Ultralytics writes metadata) read as JSON; undefined when it is not one. */
function parsePythonLiteral(text: string): unknown {
  let json = '';
  for (let i = 0; i < text.length; i++) {
    const quote = text[i]!;
    if (quote !== "'" && quote !== '"') {
      json += quote;
      continue;
    }
    let value = '';
    for (i++; i < text.length && text[i] !== quote; i++) value += text[i] === '\\' ? text[++i] ?? '' : text[i];
    json += JSON.stringify(value);
  }
  try {
    return JSON.parse(json.replace(/([{,]\s*)(\d+)\s*:/g, '$1"$2":')) as unknown;
  } catch {
    return undefined;
  }
}

const isNames = (value: unknown): value is string[] => Array.isArray(value) && value.length > 0 && value.every((n) => typeof n === 'string');

/**
 * Keypoint names per class from an export's metadata (`kpt_names`, `keypoint_names`): a list of
 * names (every class), or a dict of class id → list, as Roboflow's `keypoints_metadata` and
 * recent Ultralytics exports keep them. Undefined when the export names none.
 */
export function keypointNamesFromMetadata(entries: MetadataEntries): KeypointNames | undefined {
  for (const key of ['kpt_names', 'keypoint_names', 'keypoints_metadata']) {
    const entry = entries.find((e) => e.key === key);
    if (!entry) continue;
    const parsed = parsePythonLiteral(entry.value.trim());
    if (isNames(parsed)) return { all: parsed };
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const byClass = new Map<number, string[]>();
      for (const [id, names] of Object.entries(parsed)) if (/^\d+$/.test(id) && isNames(names)) byClass.set(Number(id), names);
      if (byClass.size > 0) return { byClass };
    }
  }
  return undefined;
}

/** Keypoint names: one list for every class, or a list per class id. */
export interface KeypointNames {
  all?: readonly string[];
  byClass?: ReadonlyMap<number, readonly string[]>;
}

/** The 17 COCO person keypoints, in the order of Ultralytics' and Roboflow's COCO pose models. */
export const cocoKeypointNames: readonly string[] = [
  'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
  'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle',
];

/** Names for a model that names none: COCO's for 17 keypoints, else the keypoint index as a string. */
export function defaultKeypointNames(count: number): string[] {
  return count === cocoKeypointNames.length ? [...cocoKeypointNames] : Array.from({ length: count }, (_, index) => String(index));
}

/** The names of class `classId`'s keypoints. */
export function keypointNamesOf(names: KeypointNames, classId: number, count: number): readonly string[] {
  return names.byClass?.get(classId) ?? names.all ?? names.byClass?.get(0) ?? defaultKeypointNames(count);
}
