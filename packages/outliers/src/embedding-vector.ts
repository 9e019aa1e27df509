import { InvalidInputError } from '@vad/core';

/**
 * Embeddings arrive as a Float32Array (kind `embedding`), a Float64Array, or a plain array of
 * numbers (a workflow input sent as JSON). Each frame is copied once into a preallocated
 * Float64Array (a native conversion); every kernel after that reads Float64Arrays only, so V8
 * keeps them monomorphic and fast, and a frame allocates nothing large.
 */
export type EmbeddingValue = Float32Array | Float64Array | readonly number[];

/** Where an embedding came from, for error messages. */
export interface EmbeddingSource {
  readonly stepName?: string;
  readonly property?: string;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value === 'object' ? `an object (${Object.keys(value as object).slice(0, 4).join(', ') || 'no keys'})` : `a ${typeof value}`;
}

function place(source: EmbeddingSource): string {
  return [source.stepName && `step "${source.stepName}"`, `property "${source.property ?? 'embedding'}"`].filter(Boolean).join(', ');
}

function where(source: EmbeddingSource) {
  return { stepName: source.stepName, property: source.property ?? 'embedding' };
}

/** Checks that `value` is a non-empty vector of numbers; returns it as `ArrayLike<number>`. */
export function readEmbedding(value: unknown, source: EmbeddingSource = {}): ArrayLike<number> {
  const isTyped = value instanceof Float32Array || value instanceof Float64Array;
  if (!isTyped && !(Array.isArray(value) && value.every((entry) => typeof entry === 'number'))) {
    throw new InvalidInputError({
      message: `${place(source)}: expected an embedding (a Float32Array, Float64Array or array of numbers), got ${describeValue(value)}`,
      ...where(source),
    });
  }
  const vector = value as ArrayLike<number>;
  if (vector.length === 0) throw new InvalidInputError({ message: `${place(source)}: the embedding is empty`, ...where(source) });
  return vector;
}

/** Dot product of `length` entries of `a` (from `aOffset`) and `b` (from `bOffset`); four accumulators for instruction-level parallelism. */
export function dot(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  const end4 = length - (length % 4);
  for (; i < end4; i += 4) {
    s0 += a[aOffset + i]! * b[bOffset + i]!;
    s1 += a[aOffset + i + 1]! * b[bOffset + i + 1]!;
    s2 += a[aOffset + i + 2]! * b[bOffset + i + 2]!;
    s3 += a[aOffset + i + 3]! * b[bOffset + i + 3]!;
  }
  for (; i < length; i++) s0 += a[aOffset + i]! * b[bOffset + i]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * `scores[k] = rows[k·d … k·d+d) · vector` for k < count: a matrix-vector product over contiguous
 * rows, four rows per pass so each load of `vector` serves four products (about twice as fast as
 * four separate dot products in V8, which has no SIMD for plain JavaScript).
 */
export function scoreRows(rows: Float64Array, count: number, d: number, vector: Float64Array, scores: Float64Array): void {
  let k = 0;
  for (; k + 4 <= count; k += 4) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    const o0 = k * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    for (let j = 0; j < d; j++) {
      const b = vector[j]!;
      a0 += rows[o0 + j]! * b;
      a1 += rows[o1 + j]! * b;
      a2 += rows[o2 + j]! * b;
      a3 += rows[o3 + j]! * b;
    }
    scores[k] = a0;
    scores[k + 1] = a1;
    scores[k + 2] = a2;
    scores[k + 3] = a3;
  }
  for (; k < count; k++) scores[k] = dot(rows, k * d, vector, 0, d);
}

/**
 * The Euclidean norm of `vector`, or a clear error when it has NaN or infinite entries or is the
 * zero vector (which has no direction, so no cosine similarity).
 */
export function checkedNorm(vector: Float64Array, source: EmbeddingSource = {}): number {
  const squares = dot(vector, 0, vector, 0, vector.length);
  if (Number.isFinite(squares) && squares > 0) return Math.sqrt(squares);
  for (let i = 0; i < vector.length; i++) {
    const entry = vector[i]!;
    if (!Number.isFinite(entry)) {
      throw new InvalidInputError({ message: `${place(source)}: the embedding has ${entry} at index ${i} (of ${vector.length}); embeddings must be finite`, ...where(source) });
    }
  }
  if (squares === 0) {
    throw new InvalidInputError({
      message: `${place(source)}: the embedding is a zero vector (all ${vector.length} entries are 0); it has no direction, so no cosine similarity can be computed`,
      ...where(source),
    });
  }
  // Finite entries whose squares overflow: scale by the largest magnitude first.
  let largest = 0;
  for (let i = 0; i < vector.length; i++) largest = Math.max(largest, Math.abs(vector[i]!));
  let scaled = 0;
  for (let i = 0; i < vector.length; i++) scaled += (vector[i]! / largest) ** 2;
  return largest * Math.sqrt(scaled);
}

/** Scales `vector` in place to unit length (after `checkedNorm`'s checks). */
export function normalizeInPlace(vector: Float64Array, source: EmbeddingSource = {}): void {
  const inverse = 1 / checkedNorm(vector, source);
  for (let i = 0; i < vector.length; i++) vector[i]! *= inverse;
}

/** The dimension check every stateful block makes on each frame. */
export function checkDimension(expected: number, actual: number, source: EmbeddingSource = {}): void {
  if (expected === actual) return;
  throw new InvalidInputError({
    message: `${place(source)}: the embedding has dimension ${actual} but this stream's state holds ${expected}-dimensional embeddings; the encoder changed mid-stream (reset the stream, e.g. workflow.resetStream(streamId), to start over with the new encoder)`,
    ...where(source),
  });
}

/**
 * Reads one frame's embedding into `scratch` (reallocated only when the dimension is first seen)
 * and scales it to unit length. Returns the scratch array that holds the unit vector.
 */
export function loadUnitEmbedding(value: unknown, scratch: Float64Array, expectedDimension: number | undefined, source: EmbeddingSource): Float64Array {
  const vector = readEmbedding(value, source);
  if (expectedDimension !== undefined) checkDimension(expectedDimension, vector.length, source);
  const target = scratch.length === vector.length ? scratch : new Float64Array(vector.length);
  target.set(vector);
  normalizeInPlace(target, source);
  return target;
}
