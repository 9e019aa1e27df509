import { InvalidInputError } from '@vad/core';

/** Where a vector came from, for error messages. */
export interface VectorSource {
  readonly stepName?: string;
  readonly property?: string;
}

function prefix(source: VectorSource): string {
  return [source.stepName && `step "${source.stepName}"`, source.property && `property "${source.property}"`].filter(Boolean).join(', ');
}

/** Reads an embedding given as a Float32Array, Float64Array or array of numbers. */
export function asVector(value: unknown, source: VectorSource = {}): Float32Array | Float64Array | readonly number[] {
  if (value instanceof Float32Array || value instanceof Float64Array) return value;
  if (Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === 'number')) return value;
  const got = Array.isArray(value) ? (value.length === 0 ? 'an empty array' : 'an array with non-numbers') : ArrayBuffer.isView(value) ? `a ${value.constructor.name}` : value === null ? 'null' : `a ${typeof value}`;
  throw new InvalidInputError({ message: `${prefix(source)}: expected an embedding (Float32Array, Float64Array or array of numbers), got ${got}`, ...source });
}

/** |v|, or a clear error for NaN/infinite entries and the zero vector. */
export function vectorNorm(vector: ArrayLike<number>, source: VectorSource = {}): number {
  let squares = 0;
  for (let i = 0; i < vector.length; i++) squares += vector[i]! * vector[i]!;
  if (Number.isFinite(squares) && squares > 0) return Math.sqrt(squares);
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i]!)) {
      throw new InvalidInputError({ message: `${prefix(source)}: the embedding has ${vector[i]} at index ${i} (of ${vector.length})`, ...source });
    }
  }
  if (squares === 0) throw new InvalidInputError({ message: `${prefix(source)}: the embedding is a zero vector; it has no direction`, ...source });
  let largest = 0;
  for (let i = 0; i < vector.length; i++) largest = Math.max(largest, Math.abs(vector[i]!));
  let scaled = 0;
  for (let i = 0; i < vector.length; i++) scaled += (vector[i]! / largest) ** 2;
  return largest * Math.sqrt(scaled);
}

/** A new Float32Array `v / |v|` (errors as `vectorNorm`). */
export function l2Normalize(vector: ArrayLike<number>, source: VectorSource = {}): Float32Array {
  const inverse = 1 / vectorNorm(vector, source);
  const unit = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) unit[i] = vector[i]! * inverse;
  return unit;
}

/** cos(a, b) = a·b / (|a| |b|); errors for different dimensions, NaN and zero vectors. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>, source: { stepName?: string } = {}): number {
  if (a.length !== b.length) {
    throw new InvalidInputError({
      message: `${prefix({ stepName: source.stepName })}: the embeddings have different dimensions (${a.length} and ${b.length}); they must come from the same encoder`.replace(/^: /, ''),
      stepName: source.stepName,
      property: 'embedding_2',
    });
  }
  const normA = vectorNorm(a, { stepName: source.stepName, property: 'embedding_1' });
  const normB = vectorNorm(b, { stepName: source.stepName, property: 'embedding_2' });
  let product = 0;
  for (let i = 0; i < a.length; i++) product += a[i]! * b[i]!;
  return product / (normA * normB);
}
