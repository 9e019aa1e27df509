import { InvalidInputError, normFromSquares, readEmbedding, type VectorSource } from '@vad/core';

/*
 * Each frame's embedding (a value of kind `embedding`, read by @vad/core's `readEmbedding`) is
 * copied once into a preallocated Float64Array (a native conversion); every kernel after that
 * reads Float64Arrays only, so V8 keeps them monomorphic and fast, and a frame allocates nothing
 * large.
 */

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

/** The Euclidean norm of `vector` by the four-lane `dot`, with @vad/core's checks (NaN, infinite, zero vector). */
export function checkedNorm(vector: Float64Array, source: VectorSource): number {
  return normFromSquares(vector, dot(vector, 0, vector, 0, vector.length), source);
}

/** Scales `vector` in place to unit length (after `checkedNorm`'s checks). */
export function normalizeInPlace(vector: Float64Array, source: VectorSource): void {
  const inverse = 1 / checkedNorm(vector, source);
  for (let i = 0; i < vector.length; i++) vector[i]! *= inverse;
}

function place(source: VectorSource): string {
  return [source.stepName && `step "${source.stepName}"`, `property "${source.property ?? 'embedding'}"`].filter(Boolean).join(', ');
}

/** The dimension check every stateful block makes on each frame. */
export function checkDimension(expected: number, actual: number, source: VectorSource): void {
  if (expected === actual) return;
  throw new InvalidInputError({
    message: `${place(source)}: the embedding has dimension ${actual} but this stream's state holds ${expected}-dimensional embeddings; the encoder changed mid-stream (reset the stream, e.g. workflow.resetStream(streamId), to start over with the new encoder)`,
    stepName: source.stepName,
    property: source.property ?? 'embedding',
  });
}

/**
 * Reads one frame's embedding into `scratch` (reallocated only when the dimension is first seen)
 * and scales it to unit length. Returns the scratch array that holds the unit vector.
 */
export function loadUnitEmbedding(value: unknown, scratch: Float64Array, expectedDimension: number | undefined, source: VectorSource): Float64Array {
  const vector = readEmbedding(value, source);
  if (expectedDimension !== undefined) checkDimension(expectedDimension, vector.length, source);
  const target = scratch.length === vector.length ? scratch : new Float64Array(vector.length);
  target.set(vector);
  normalizeInPlace(target, source);
  return target;
}
