import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { ModelLoadError } from '@vad/core';
import { float16ToFloat32, float32ToFloat16 } from './float16.js';

/**
 * The vad anomaly-model file: safe to open from anyone (no code, no pickles), versioned, checked.
 *
 * ```
 * bytes 0–7    magic "VADMODEL"
 * bytes 8–11   container version, uint32 little-endian (currently 1)
 * bytes 12–15  header length H, uint32 little-endian
 * 16 … 16+H    header: UTF-8 JSON (what the detector needs, and where each array lies)
 * …            zero padding to a multiple of 8, then each array's raw little-endian
 *              float32 or float16 values, each starting on a multiple of 8
 * last 32      SHA-256 of every byte before it
 * ```
 */
export const modelFileMagic = 'VADMODEL';
export const modelFileVersion = 1;

export type StoredType = 'float32' | 'float16';

interface ArrayEntry {
  name: string;
  type: StoredType;
  shape: number[];
  offset: number;
  byteLength: number;
}

export interface StoredArray {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export interface ModelFileContents<Header> {
  readonly header: Header;
  readonly arrays: Record<string, StoredArray>;
  /** On read: the arrays the file stores in half precision (pass them back as `float16` to rewrite it alike). */
  readonly float16?: readonly string[];
}

const align = (value: number) => Math.ceil(value / 8) * 8;

/**
 * Writes a model file atomically: to a temporary file beside `file`, flushed, then renamed over it,
 * so a crash never leaves a half-written model under the real name. `float16` names the arrays to
 * store in half precision (loaded back as float32).
 */
export async function writeModelFile<Header extends object>(
  file: string,
  contents: ModelFileContents<Header>,
  options: { float16?: readonly string[] } = {},
): Promise<void> {
  const entries: ArrayEntry[] = [];
  const payloads: Uint8Array[] = [];
  let offset = 0;
  for (const [name, array] of Object.entries(contents.arrays)) {
    const expected = array.shape.reduce((product, dimension) => product * dimension, 1);
    if (expected !== array.data.length) throw new RangeError(`array "${name}" has ${array.data.length} values but shape ${array.shape.join('×')}`);
    const type: StoredType = options.float16?.includes(name) ? 'float16' : 'float32';
    const typed = type === 'float16' ? float32ToFloat16(array.data) : array.data;
    const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
    entries.push({ name, type, shape: [...array.shape], offset, byteLength: bytes.byteLength });
    payloads.push(bytes);
    offset = align(offset + bytes.byteLength);
  }
  const headerBytes = new TextEncoder().encode(JSON.stringify({ ...contents.header, arrays: entries }));
  const bodyStart = align(16 + headerBytes.byteLength);
  const total = bodyStart + offset + 32;
  const buffer = new Uint8Array(total);
  buffer.set(new TextEncoder().encode(modelFileMagic), 0);
  const view = new DataView(buffer.buffer);
  view.setUint32(8, modelFileVersion, true);
  view.setUint32(12, headerBytes.byteLength, true);
  buffer.set(headerBytes, 16);
  entries.forEach((entry, index) => buffer.set(payloads[index]!, bodyStart + entry.offset));
  buffer.set(createHash('sha256').update(buffer.subarray(0, total - 32)).digest(), total - 32);
  // Float32 data is little-endian on every platform Node supports in practice; refuse otherwise.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new RangeError('big-endian hosts are not supported');

  const temporary = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(buffer);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Reads and verifies a model file. Anything wrong (not a vad model, a newer container, a truncated
 * or altered file, arrays out of bounds) is a `ModelLoadError` naming the file.
 */
export async function readModelFile<Header = Record<string, unknown>>(file: string): Promise<ModelFileContents<Header>> {
  const fail = (message: string, cause?: unknown): never => {
    throw new ModelLoadError({ message: `model file ${file} ${message}`, path: file, cause });
  };
  let buffer: Uint8Array;
  try {
    buffer = new Uint8Array(await readFile(file));
  } catch (cause) {
    return fail(`cannot be read (${(cause as NodeJS.ErrnoException).code ?? cause})`, cause);
  }
  if (buffer.byteLength < 16 + 32 || new TextDecoder().decode(buffer.subarray(0, 8)) !== modelFileMagic) {
    return fail('is not a vad anomaly model (no VADMODEL signature)');
  }
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const version = view.getUint32(8, true);
  if (version > modelFileVersion) return fail(`uses container version ${version}; this @vad/patchcore reads up to ${modelFileVersion} (upgrade it)`);
  const digest = createHash('sha256').update(buffer.subarray(0, buffer.byteLength - 32)).digest();
  if (!Buffer.from(buffer.subarray(buffer.byteLength - 32)).equals(digest)) {
    return fail('is truncated or corrupted (its SHA-256 checksum does not match)');
  }
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength > buffer.byteLength - 32) return fail('has a header longer than the file');
  let header: Record<string, unknown> & { arrays?: ArrayEntry[] };
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(16, 16 + headerLength)));
  } catch (cause) {
    return fail('has a header that is not valid JSON', cause);
  }
  if (!Array.isArray(header.arrays)) return fail('has no array table in its header');
  const bodyStart = align(16 + headerLength);
  const bodyEnd = buffer.byteLength - 32;
  const arrays: Record<string, StoredArray> = {};
  const float16: string[] = [];
  for (const entry of header.arrays) {
    const { name, type, shape, offset, byteLength } = entry;
    const count = Array.isArray(shape) ? shape.reduce((product, dimension) => product * dimension, 1) : Number.NaN;
    const width = type === 'float32' ? 4 : type === 'float16' ? 2 : 0;
    if (!width || !Number.isInteger(count) || count * width !== byteLength || offset % 8 !== 0 || bodyStart + offset + byteLength > bodyEnd) {
      return fail(`has a malformed array entry "${String(name)}"`);
    }
    const bytes = buffer.slice(bodyStart + offset, bodyStart + offset + byteLength);
    const data = type === 'float32' ? new Float32Array(bytes.buffer) : float16ToFloat32(new Uint16Array(bytes.buffer));
    arrays[name] = { data, shape };
    if (type === 'float16') float16.push(name);
  }
  const { arrays: _table, ...rest } = header;
  return { header: rest as Header, arrays, float16 };
}
