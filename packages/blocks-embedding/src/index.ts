import type { AnyBlock } from '@vad/core';
import { cosineSimilarity } from './cosine-similarity.js';
import { imageEmbedding } from './image-embedding.js';

export { imageEmbedding, imageEncoderSchema, encoderConfig } from './image-embedding.js';
export type { ImageEncoderProperty } from './image-embedding.js';
export { cosineSimilarity } from './cosine-similarity.js';
export { createImageEncoder, encoderPresets, backboneNames, embeddingsFromOutput } from './image-encoder.js';
export type { ImageEncoder, EncoderConfig, EncoderOptions, EncoderPreset, EncoderPreprocessing, BackboneName } from './image-encoder.js';
export { l2Normalize, cosineSimilarity as cosineSimilarityOf } from './embedding-math.js';
export { vectorNorm } from '@vad/core';

/** The blocks of @vad/blocks-embedding: Image Embedding and Cosine Similarity. */
export function embeddingBlocks(): AnyBlock[] {
  return [imageEmbedding, cosineSimilarity];
}

/** Plugin entry point for `loadPlugins` / `VAD_PLUGINS`. */
export function vadBlocks(): AnyBlock[] {
  return embeddingBlocks();
}
