import { createBlockRegistry, createWorkflow } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { cosineSimilarityOf, embeddingBlocks, l2Normalize } from './index.js';

const workflow = createWorkflow(
  {
    version: '1.0',
    inputs: [
      { type: 'WorkflowParameter', name: 'a', kind: ['embedding'] },
      { type: 'WorkflowParameter', name: 'b', kind: ['embedding'] },
    ],
    steps: [{ type: 'roboflow_core/cosine_similarity@v1', name: 'similarity', embedding_1: '$inputs.a', embedding_2: '$inputs.b' }],
    outputs: [{ type: 'JsonField', name: 'similarity', selector: '$steps.similarity.similarity' }],
  },
  { registry: createBlockRegistry(embeddingBlocks()) },
);
const similarity = async (a: unknown, b: unknown) => (await workflow.run({ inputs: { a, b } })).outputs[0]!.similarity;

describe('cosine similarity', () => {
  it('computes a·b/(|a||b|) for typed arrays and plain arrays', async () => {
    expect(await similarity(Float32Array.from([1, 0]), Float32Array.from([0, 2]))).toBe(0);
    expect(await similarity(Float32Array.from([3, 4]), [6, 8])).toBeCloseTo(1, 12);
    expect(await similarity(Float64Array.from([1, 2, 3]), Float32Array.from([-1, -2, -3]))).toBeCloseTo(-1, 7);
    // (1,1)·(1,0) = 1, |(1,1)| = √2 → 1/√2
    expect(await similarity([1, 1], [1, 0])).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('names the problem: different dimensions, zero vectors, NaN, not an embedding', async () => {
    await expect(similarity(new Float32Array(512).fill(1), new Float32Array(768).fill(1))).rejects.toThrow(/different dimensions \(512 and 768\)/);
    await expect(similarity(Float32Array.from([1, 2]), new Float32Array(2))).rejects.toThrow(/property "embedding_2": the embedding is a zero vector/);
    await expect(similarity(Float32Array.from([1, Number.NaN]), Float32Array.from([1, 2]))).rejects.toThrow(/property "embedding_1": the embedding has NaN at index 1/);
    await expect(similarity('0.1,0.2', Float32Array.from([1, 2]))).rejects.toThrow(/expected an embedding .* got a string/);
  });

  it('l2Normalize and the exported similarity agree with the block', () => {
    const unit = l2Normalize([3, 4]);
    expect(Array.from(unit)).toEqual([expect.closeTo(0.6, 7), expect.closeTo(0.8, 7)]);
    expect(cosineSimilarityOf(unit, [4, 3])).toBeCloseTo(24 / 25, 7);
    expect(() => l2Normalize([0, 0])).toThrow(/zero vector/);
  });
});
