import { defineBlock, field, readEmbedding } from '@vad/core';
import { cosineSimilarity as cosine } from './embedding-math.js';

/** Cosine similarity of two embeddings (Roboflow's `roboflow_core/cosine_similarity@v1`). */
export const cosineSimilarity = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/cosine_similarity@v1',
  aliases: ['roboflow_core/cosine_similarity@v1'],
  title: 'Cosine Similarity',
  description: 'Cosine similarity of two embeddings: 1 for the same direction, 0 for orthogonal, −1 for opposite.',
  manifest: {
    embedding_1: field.selector(['embedding'], { description: 'First embedding' }),
    embedding_2: field.selector(['embedding'], { description: 'Second embedding (same dimension)' }),
  },
  outputs: { similarity: { kinds: ['float'] } },
  create: ({ stepName }) => ({
    run({ embedding_1, embedding_2 }) {
      const first = readEmbedding(embedding_1, { stepName, property: 'embedding_1' });
      const second = readEmbedding(embedding_2, { stepName, property: 'embedding_2' });
      return { similarity: cosine(first, second, { stepName }) };
    },
  }),
});
