import { InvalidInputError, loadSharp, parseVideoMetadata, VadImage, type VideoMetadata, type WorkflowPlan } from '@vad/core';
import { fetchImageUrl } from './url-inputs.js';
import { checkImageCount } from './workflow-limits.js';

export interface InputDecodingOptions {
  maxImagePixels: number;
  allowUrlInputs: boolean;
  allowPrivateUrls: boolean;
  maxUrlBytes: number;
  timeoutMs: number;
  /** Images in one request, all image inputs together. */
  maxImages: number;
  signal?: AbortSignal;
}

const base64Pattern = /^[A-Za-z0-9+/_\-\s]*={0,2}\s*$/;

function decodeBase64(value: string, name: string): Uint8Array {
  const comma = value.startsWith('data:') ? value.indexOf(',') : -1;
  const text = comma >= 0 ? value.slice(comma + 1) : value;
  if (text.length === 0 || !base64Pattern.test(text.slice(0, 4096))) {
    throw new InvalidInputError({ message: `input "${name}" is not base64 (expected {"type": "base64", "value": "<base64 of an image file>"})`, property: name });
  }
  return Buffer.from(text, 'base64');
}

/**
 * One image input: base64 text, binary bytes, or `{"type": "base64" | "url", "value": …}` with an
 * optional `video_metadata` (the frame this image is, as Roboflow's image inputs carry it).
 */
async function decodeImage(value: unknown, name: string, options: InputDecodingOptions): Promise<VadImage> {
  let bytes: Uint8Array;
  let videoMetadata: VideoMetadata | undefined;
  if (value instanceof Uint8Array) {
    bytes = value; // binary WebSocket frames
  } else if (typeof value === 'string') {
    bytes = decodeBase64(value, name);
  } else if (typeof value === 'object' && value !== null && 'type' in value) {
    const { type, value: payload, video_metadata } = value as { type: unknown; value: unknown; video_metadata?: unknown };
    if (video_metadata !== undefined && video_metadata !== null) videoMetadata = parseVideoMetadata(video_metadata, `${name}.video_metadata`);
    if (typeof payload !== 'string') throw new InvalidInputError({ message: `input "${name}": "value" must be a string`, property: name });
    if (type === 'base64') {
      bytes = decodeBase64(payload, name);
    } else if (type === 'url') {
      if (!options.allowUrlInputs) {
        throw new InvalidInputError({ message: `input "${name}": URL inputs are disabled on this server (set VAD_ALLOW_URL_INPUTS=true to enable them) — send {"type": "base64"} instead`, property: name });
      }
      bytes = await fetchImageUrl(payload, { allowPrivate: options.allowPrivateUrls, maxBytes: options.maxUrlBytes, timeoutMs: options.timeoutMs, signal: options.signal, name });
    } else {
      throw new InvalidInputError({ message: `input "${name}": image type ${JSON.stringify(type)} is not supported (use "base64" or "url")`, property: name });
    }
  } else {
    throw new InvalidInputError({ message: `input "${name}" must be an image: {"type": "base64", "value": "..."} or {"type": "url", "value": "..."}`, property: name });
  }
  try {
    return await VadImage.fromBytes(bytes, { name: `input "${name}"`, maxPixels: options.maxImagePixels, ...(videoMetadata && { videoMetadata }) });
  } catch (error) {
    throw (await explainPixelLimit(bytes, name, options.maxImagePixels)) ?? error;
  }
}

/**
 * sharp refuses to read even the header of an image over its own pixel limit, which would
 * surface as "not a decodable image"; read the size without that limit to say what is wrong.
 */
async function explainPixelLimit(bytes: Uint8Array, name: string, maxPixels: number): Promise<InstanceType<typeof InvalidInputError> | undefined> {
  try {
    const sharp = await loadSharp();
    const { width, height } = await sharp(bytes, { limitInputPixels: false }).metadata();
    if (!width || !height || width * height <= maxPixels) return undefined;
    return new InvalidInputError({ message: `input "${name}" is ${width}×${height} = ${width * height} pixels, over the limit of ${maxPixels} (VAD_MAX_IMAGE_PIXELS); it was not decoded`, property: name });
  } catch {
    return undefined;
  }
}

/**
 * Turns the request's `inputs` into run inputs: image inputs (one image or a batch list) and batch
 * inputs of kind `image` (lists, nested by their dimensionality) are decoded from base64 or fetched
 * from URLs; parameters pass through unchanged.
 */
export async function decodeRequestInputs(plan: WorkflowPlan, given: unknown, options: InputDecodingOptions): Promise<Record<string, unknown>> {
  if (given === undefined || given === null) given = {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new InvalidInputError({ message: '"inputs" must be an object keyed by the workflow\'s input names' });
  }
  const decoded: Record<string, unknown> = {};
  const imageInputs = new Set(plan.inputs.filter(isImageInput).map((input) => input.name));
  checkImageCount(given, imageInputs, options.maxImages);
  for (const [name, value] of Object.entries(given as Record<string, unknown>)) {
    if (!imageInputs.has(name)) {
      decoded[name] = value;
      continue;
    }
    decoded[name] = await decodeImages(value, name, options);
  }
  return decoded;
}

/** `WorkflowImage`, or `WorkflowBatchInput` of kind image (Roboflow's engine 1.3 spelling of the same). */
function isImageInput(input: WorkflowPlan['inputs'][number]): boolean {
  return input.type === 'image' || (input.type === 'batch' && input.kinds.length === 1 && input.kinds[0] === 'image');
}

async function decodeImages(value: unknown, name: string, options: InputDecodingOptions): Promise<unknown> {
  if (!Array.isArray(value)) return decodeImage(value, name, options);
  return Promise.all(value.map((item, index) => decodeImages(item, `${name}[${index}]`, options)));
}
