import { readFile } from 'node:fs/promises';
import { createBlockRegistry, createWorkflow, VadImage } from '@vad/core';
import { loadBackbone } from '@vad/models';
import { sharedPath } from '@vad/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddingBlocks } from '../src/index.js';

const photos = sharedPath('datasets/photos');

describe.skipIf(!photos)('image embedding with the offline default backbone', () => {
  const workflow = createWorkflow(
    {
      version: '1.0',
      inputs: [{ type: 'WorkflowImage', name: 'image' }],
      steps: [
        { type: 'vad/image_embedding@v1', name: 'embed', data: '$inputs.image' },
        { type: 'vad/cosine_similarity@v1', name: 'similarity', embedding_1: '$steps.embed.embedding', embedding_2: '$steps.embed.embedding' },
      ],
      outputs: [
        { type: 'JsonField', name: 'embedding', selector: '$steps.embed.embedding' },
        { type: 'JsonField', name: 'self_similarity', selector: '$steps.similarity.similarity' },
      ],
    },
    { registry: createBlockRegistry(embeddingBlocks()) },
  );
  afterAll(() => workflow.dispose());

  it("is InceptionV3's pooled mixed5 features at 299 px, L2-normalised", async () => {
    const images = await Promise.all(['dog', 'eagle', 'giraffe'].map(async (name) => VadImage.fromBytes(await readFile(`${photos}/${name}.jpg`))));
    const { outputs } = await workflow.run({ inputs: { image: images } });
    const [dog, eagle, giraffe] = outputs.map((record) => record.embedding as Float32Array);
    expect(dog!.length).toBe(768);
    for (const embedding of [dog!, eagle!, giraffe!]) expect(Math.hypot(...embedding)).toBeCloseTo(1, 5);
    expect(outputs[0]!.self_similarity).toBeCloseTo(1, 6);
    // Against the backbone itself: the pooled output, normalised.
    const backbone = await loadBackbone('inception_v3');
    try {
      const { pooled } = await backbone.run([images[0]!]);
      const length = Math.hypot(...pooled.data);
      expect(Array.from(dog!)).toEqual(Array.from(pooled.data, (value) => expect.closeTo(value / length, 5)));
    } finally {
      await backbone.dispose();
    }
    // Different photos point in different directions (pooled ReLU features are all ≥ 0, so cosines stay positive).
    const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);
    expect(cosine(dog!, eagle!)).toBeLessThan(0.95);
    expect(cosine(dog!, giraffe!)).toBeLessThan(0.95);
  });
});
