import { z } from 'zod';
import type { WorkflowPlan } from '../compile.js';
import { InvalidInputError } from '../errors.js';
import { VadImage } from '../image.js';
import { isDetections } from '../values.js';
import type { Values } from './run-state.js';

/** Where the engine's own video metadata comes from when a `WorkflowVideoMetadata` input is not given. */
export interface FrameSource {
  readonly streamId: string;
  /** The next frame number of the stream (1 for its first frame). */
  nextFrameNumber(): number;
  /** True when the caller named the stream: its images without video metadata get the engine's. */
  readonly named?: boolean;
}

/** Splits the run's inputs into one record per batch element, applying defaults and checks. */
export async function splitRecords(plan: WorkflowPlan, given: Values, frames?: FrameSource): Promise<Values[]> {
  if (typeof given !== 'object' || given === null) throw new InvalidInputError({ message: 'inputs must be an object keyed by input name' });
  for (const name of Object.keys(given)) {
    if (!plan.inputs.some((input) => input.name === name)) {
      throw new InvalidInputError({ message: `unknown input "${name}" (the workflow declares: ${plan.inputs.map((i) => i.name).join(', ') || 'none'})`, property: name });
    }
  }
  const scalars: Values = {};
  const batches = new Map<string, unknown[]>();
  const generatedMetadata: string[] = [];
  for (const input of plan.inputs) {
    let value = given[input.name];
    if (input.type === 'video_metadata') {
      if (value === undefined) generatedMetadata.push(input.name);
      else if (Array.isArray(value)) batches.set(input.name, value.map((item, index) => parseVideoMetadata(item, `${input.name}[${index}]`)));
      else scalars[input.name] = parseVideoMetadata(value, input.name);
      continue;
    }
    if (value === undefined) {
      if (!input.hasDefault) throw new InvalidInputError({ message: `input "${input.name}" is required`, property: input.name });
      value = input.defaultValue;
    }
    if (input.type === 'image') {
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0) throw new InvalidInputError({ message: `input "${input.name}" is an empty batch`, property: input.name });
      batches.set(input.name, await Promise.all(list.map((item, index) => asImage(item, list.length > 1 ? `${input.name}[${index}]` : input.name))));
    } else if (input.type === 'batch') {
      // One set of predictions (an object, not a list) is a batch of one, broadcast to every image.
      if (input.level === 0 && isDetections(value)) value = [value];
      if (!Array.isArray(value)) throw new InvalidInputError({ message: `input "${input.name}" is a batch input and needs an array`, property: input.name });
      value.forEach((element, index) => checkNesting(element, input.level, `${input.name}[${index}]`, input.name));
      batches.set(input.name, (await decodeLeaves(value, input.level + 1, input.kinds, input.name)) as unknown[]);
    } else {
      scalars[input.name] = value;
    }
  }
  // As Roboflow's execution engine, a batch of one (a single template image beside a batch of
  // images) is broadcast to the others' length.
  const lengths = new Set([...batches.values()].map((b) => b.length).filter((length) => length > 1));
  if (lengths.size > 1) throw new InvalidInputError({ message: `batch inputs have different lengths: ${[...batches].map(([n, b]) => `${n}=${b.length}`).join(', ')}` });
  const count = lengths.size === 0 ? 1 : [...lengths][0]!;
  validateParameters(plan, scalars);
  const imageInputs = plan.inputs.filter((input) => input.type === 'image').map((input) => input.name);
  return Array.from({ length: count }, (_, index) => {
    const record: Values = { ...scalars };
    for (const [name, batch] of batches) record[name] = batch.length === 1 ? batch[0] : batch[index];
    attachFrameMetadata(record, imageInputs, generatedMetadata, frames);
    return record;
  });
}

/**
 * One record is one video frame: the video metadata its images carry (the runner sets it) is what a
 * `WorkflowVideoMetadata` input left out receives; when none does, the engine makes one per record
 * (and, in a named stream, gives it to the images too, so `ExtractFrameMetadata` sees the same frame).
 */
function attachFrameMetadata(record: Values, imageInputs: readonly string[], generatedMetadata: readonly string[], frames: FrameSource | undefined) {
  const images = imageInputs.map((name) => record[name]).filter((value): value is VadImage => VadImage.isImage(value));
  const needsEngine = generatedMetadata.length > 0 || (frames?.named === true && images.some((image) => !image.videoMetadata));
  if (!needsEngine) return;
  const carried = images.find((image) => image.videoMetadata)?.videoMetadata;
  const metadata = carried ?? engineVideoMetadata(frames);
  for (const name of generatedMetadata) record[name] = metadata;
  if (frames?.named !== true) return;
  for (const name of imageInputs) {
    const image = record[name];
    if (VadImage.isImage(image) && !image.videoMetadata) record[name] = image.withVideoMetadata(metadata);
  }
}

/** Roboflow's `VideoMetadata` as blocks receive it (`frame_timestamp` an ISO 8601 string). */
export interface VideoMetadata {
  video_identifier: string;
  frame_number: number;
  frame_timestamp: string;
  fps: number | null;
  measured_fps: number | null;
  comes_from_video_file: boolean | null;
}

/** When the caller gives none: the stream id as the video identifier, the stream's frame count, now. */
function engineVideoMetadata(frames: FrameSource | undefined): VideoMetadata {
  return {
    video_identifier: frames?.streamId ?? 'default',
    frame_number: frames?.nextFrameNumber() ?? 1,
    frame_timestamp: new Date().toISOString(),
    fps: null,
    measured_fps: null,
    comes_from_video_file: null,
  };
}

const optionalNumber = z.number().positive().nullable().optional();
const videoMetadataSchema = z.object({
  video_identifier: z.string().min(1),
  frame_number: z.number().int().min(0),
  frame_timestamp: z.union([z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date and time'), z.date()]),
  fps: optionalNumber,
  measured_fps: optionalNumber,
  comes_from_video_file: z.boolean().nullable().optional(),
});

/** `value` as video metadata (Roboflow's `video_metadata` kind), or an error naming input `name`. */
export function parseVideoMetadata(value: unknown, name: string): VideoMetadata {
  const parsed = videoMetadataSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError({
      message: `input "${name}" is not video metadata${issue?.path.length ? ` (${issue.path.join('.')}: ${issue.message})` : `: ${issue?.message}`}; it needs video_identifier, frame_number and frame_timestamp`,
      property: name.replace(/\[\d+\]$/, ''),
    });
  }
  const { frame_timestamp, fps, measured_fps, comes_from_video_file, ...rest } = parsed.data;
  const timestamp = frame_timestamp instanceof Date ? frame_timestamp : new Date(frame_timestamp);
  return { ...rest, frame_timestamp: timestamp.toISOString(), fps: fps ?? null, measured_fps: measured_fps ?? null, comes_from_video_file: comes_from_video_file ?? null };
}

/**
 * Since Roboflow's engine 1.3, `WorkflowBatchInput` of kind `image` or `video_metadata` is what
 * `WorkflowImage` and `WorkflowVideoMetadata` are: its elements are decoded (and checked) as such.
 */
async function decodeLeaves(value: unknown, depth: number, kinds: readonly string[], path: string): Promise<unknown> {
  if (depth > 0) return Promise.all((value as unknown[]).map((child, index) => decodeLeaves(child, depth - 1, kinds, `${path}[${index}]`)));
  if (kinds.length !== 1) return value;
  if (kinds[0] === 'image') return asImage(value, path);
  if (kinds[0] === 'video_metadata') return parseVideoMetadata(value, path);
  if (kinds[0] === 'instance_segmentation_prediction' && !isDetections(value)) {
    throw new InvalidInputError({ message: `input "${path}" must be instance segmentation predictions ({image: {width, height}, predictions: [...]})`, property: path.replace(/\[\d+\]$/, '') });
  }
  return value;
}

/** A batch input of dimensionality d gives each record a list nested d − 1 deep. */
function checkNesting(value: unknown, depth: number, path: string, property: string): void {
  if (depth === 0) return;
  if (!Array.isArray(value)) {
    throw new InvalidInputError({ message: `input "${path}" must be a list: the input has dimensionality ${depth + 1} here (got ${value === null ? 'null' : typeof value})`, property });
  }
  value.forEach((child, index) => checkNesting(child, depth - 1, `${path}[${index}]`, property));
}

const dictionarySchema = z.record(z.string(), z.unknown());

/** A parameter given at run time is checked by the schema of every property it feeds. */
function validateParameters(plan: WorkflowPlan, scalars: Values) {
  for (const step of plan.steps) {
    for (const property of step.properties) {
      if (property.binding.type !== 'input' || !(property.binding.name in scalars)) continue;
      const value = scalars[property.binding.name];
      if (value === undefined && property.spec.optional) continue;
      const wholeDictionary = property.spec.accepts === 'dictionary' && property.entryKey === undefined;
      const parsed = wholeDictionary ? dictionarySchema.safeParse(value) : property.spec.schema.safeParse(value);
      if (!parsed.success) {
        throw new InvalidInputError({
          message: `input "${property.binding.name}" = ${JSON.stringify(value)} is not valid for step "${step.name}" property "${property.name}": ${parsed.error.issues[0]?.message}`,
          stepName: step.name,
          property: property.name,
          selector: `$inputs.${property.binding.name}`,
        });
      }
    }
  }
}

async function asImage(value: unknown, name: string): Promise<VadImage> {
  if (VadImage.isImage(value)) return value;
  if (value instanceof Uint8Array) return VadImage.fromBytes(value, { name: `input "${name}"` });
  throw new InvalidInputError({ message: `input "${name}" must be an image (got ${value === null ? 'null' : typeof value})`, property: name });
}
