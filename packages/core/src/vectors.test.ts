import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors.js';
import { normFromSquares, readEmbedding, vectorNorm } from './vectors.js';

const source = { stepName: 'outliers', property: 'embedding' };

describe('readEmbedding', () => {
  it('returns typed arrays and arrays of numbers as they are', () => {
    const typed = Float32Array.from([1, 2]);
    expect(readEmbedding(typed)).toBe(typed);
    expect(readEmbedding([0.5, -1])).toEqual([0.5, -1]);
  });

  it('names the step, the property and what arrived', () => {
    expect(() => readEmbedding('0.1,0.2', source)).toThrow('step "outliers", property "embedding": expected an embedding (a Float32Array, Float64Array or array of numbers), got a string');
    expect(() => readEmbedding(new Uint8Array(3), source)).toThrow(/got a Uint8Array/);
    expect(() => readEmbedding({ data: [1] }, source)).toThrow(/got an object \(data\)/);
    expect(() => readEmbedding([1, '2'], source)).toThrow(/got an array$/);
    expect(() => readEmbedding(new Float64Array(0), source)).toThrow('step "outliers", property "embedding": the embedding is empty');
  });

  it('throws an InvalidInputError that carries the place, and no leading colon without one', () => {
    try {
      readEmbedding(null, source);
      expect.unreachable();
    } catch (error) {
      expect(InvalidInputError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ stepName: 'outliers', property: 'embedding' });
    }
    expect(() => readEmbedding(null)).toThrow(/^expected an embedding .* got null$/);
  });
});

describe('vectorNorm and normFromSquares', () => {
  it('computes |v|', () => {
    expect(vectorNorm([3, 4])).toBe(5);
    expect(vectorNorm(Float32Array.from([1, 1, 1, 1]))).toBe(2);
  });

  it('uses the sum of squares it is given, reading the vector only when that sum is unusable', () => {
    expect(normFromSquares([3, 4], 16)).toBe(4);
  });

  it('rescales finite entries whose squares overflow', () => {
    expect(vectorNorm([3e200, 4e200]) / 5e200).toBeCloseTo(1, 12);
  });

  it('names NaN, infinite entries and the zero vector', () => {
    expect(() => vectorNorm([1, Number.NaN, 3], source)).toThrow('step "outliers", property "embedding": the embedding has NaN at index 1 (of 3); embeddings must be finite');
    expect(() => vectorNorm([Number.NEGATIVE_INFINITY], source)).toThrow(/-Infinity at index 0 \(of 1\)/);
    expect(() => vectorNorm(new Float32Array(4), { property: 'embedding_2' })).toThrow(
      'property "embedding_2": the embedding is a zero vector (all 4 entries are 0); it has no direction, so no cosine similarity can be computed',
    );
  });
});
