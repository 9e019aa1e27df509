import { InvalidInputError } from './errors.js';

/**
 * A value of kind `embedding`: a Float32Array from an encoder, a Float64Array, or a plain array of
 * numbers (a workflow input sent as JSON).
 */
export type EmbeddingValue = Float32Array | Float64Array | readonly number[];

/** Where a vector came from, for error messages. */
export interface VectorSource {
  readonly stepName?: string;
  readonly property?: string;
}

function vectorError(source: VectorSource, problem: string) {
  const place = [source.stepName && `step "${source.stepName}"`, source.property && `property "${source.property}"`].filter(Boolean).join(', ');
  return new InvalidInputError({ message: place ? `${place}: ${problem}` : problem, stepName: source.stepName, property: source.property });
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value === 'object' ? `an object (${Object.keys(value as object).slice(0, 4).join(', ') || 'no keys'})` : `a ${typeof value}`;
}

/** Checks that `value` is a non-empty embedding (see `EmbeddingValue`) and returns it. */
export function readEmbedding(value: unknown, source: VectorSource = {}): EmbeddingValue {
  const isTyped = value instanceof Float32Array || value instanceof Float64Array;
  if (!isTyped && !(Array.isArray(value) && value.every((entry) => typeof entry === 'number'))) {
    throw vectorError(source, `expected an embedding (a Float32Array, Float64Array or array of numbers), got ${describeValue(value)}`);
  }
  const vector = value as EmbeddingValue;
  if (vector.length === 0) throw vectorError(source, 'the embedding is empty');
  return vector;
}

/**
 * The Euclidean norm of `vector` from its sum of squares, which the caller computes with its own
 * kernel (so each keeps its summation order). NaN or infinite entries and the zero vector (it has
 * no direction, so no cosine similarity) are errors; finite entries whose squares overflow are
 * rescaled by the largest magnitude. The usual case reads only `squares`.
 */
export function normFromSquares(vector: ArrayLike<number>, squares: number, source: VectorSource = {}): number {
  if (Number.isFinite(squares) && squares > 0) return Math.sqrt(squares);
  for (let i = 0; i < vector.length; i++) {
    const entry = vector[i]!;
    if (!Number.isFinite(entry)) throw vectorError(source, `the embedding has ${entry} at index ${i} (of ${vector.length}); embeddings must be finite`);
  }
  if (squares === 0) {
    throw vectorError(source, `the embedding is a zero vector (all ${vector.length} entries are 0); it has no direction, so no cosine similarity can be computed`);
  }
  let largest = 0;
  for (let i = 0; i < vector.length; i++) largest = Math.max(largest, Math.abs(vector[i]!));
  let scaled = 0;
  for (let i = 0; i < vector.length; i++) scaled += (vector[i]! / largest) ** 2;
  return largest * Math.sqrt(scaled);
}

/** |v|, summing the squares in index order (errors as `normFromSquares`). */
export function vectorNorm(vector: ArrayLike<number>, source: VectorSource = {}): number {
  let squares = 0;
  for (let i = 0; i < vector.length; i++) squares += vector[i]! * vector[i]!;
  return normFromSquares(vector, squares, source);
}
