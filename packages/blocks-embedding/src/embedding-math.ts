import { InvalidInputError, vectorNorm, type VectorSource } from '@vad/core';

/** A new Float32Array `v / |v|` (errors as @vad/core's `vectorNorm`). */
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
      message: `${source.stepName ? `step "${source.stepName}": ` : ''}the embeddings have different dimensions (${a.length} and ${b.length}); they must come from the same encoder`,
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
