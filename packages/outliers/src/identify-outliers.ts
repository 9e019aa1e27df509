import { defineBlock, field, InvalidInputError, z, type EmbeddingValue } from '@vad/core';
import { createOutlierDetector, type OutlierDetector } from './outlier-detector.js';

/**
 * Identify Outliers: is this frame's embedding unusual among the recent frames of its stream?
 * Roboflow's `roboflow_core/identify_outliers@v1` semantics by default (see outlier-detector.ts);
 * `tail` and `baseline` fix its two-sided test and its drifting baseline when asked.
 */
export const identifyOutliers = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/identify_outliers@v1',
  aliases: ['roboflow_core/identify_outliers@v1'],
  title: 'Identify Outliers',
  description:
    "Flags embeddings whose alignment with the window's mean direction ranks in the tails of the window (Roboflow's von Mises-Fisher percentile test). " +
    "tail 'low' flags only the unusually unaligned side; baseline 'frozen' compares every frame after warm-up with the warm-up frames instead of a window that drifts.",
  manifest: {
    embedding: field.selector<EmbeddingValue>(['embedding'], { description: 'Embedding of the current frame (any dimension, fixed per stream)' }),
    threshold_percentile: field.parameter(z.number().min(0).max(1).default(0.05), ['float_zero_to_one'], {
      description: "Percentile below which (and, with tail 'both', above 1 minus which) a frame is an outlier",
    }),
    warmup: field.parameter(z.number().int().min(0).default(3), ['integer'], {
      description: "Samples (the current one included) before the first verdict; with baseline 'frozen' the size of the reference",
    }),
    window_size: field.parameter(z.number().int().min(1).nullable().default(32), ['integer'], {
      description: 'Embeddings kept in the sliding window; null (given through an input) keeps all',
    }),
    tail: field.literal(z.enum(['both', 'low']).default('both'), {
      description: "'both' (Roboflow's): flag percentile < t or > 1 − t. 'low': flag only percentile < t, ties at mid-rank",
    }),
    baseline: field.literal(z.enum(['sliding', 'frozen']).default('sliding'), {
      description: "'sliding' (Roboflow's): the window keeps moving. 'frozen': the window at the end of warm-up is the fixed reference",
    }),
  },
  outputs: {
    is_outlier: { kinds: ['boolean'] },
    percentile: { kinds: ['float_zero_to_one'] },
    warming_up: { kinds: ['boolean'] },
  },
  stateful: true,
  create: ({ stepName, properties }) => {
    let detector: OutlierDetector | undefined;
    return {
      run({ embedding, threshold_percentile, warmup, window_size }) {
        const windowSize = window_size ?? null;
        const warmupCount = warmup ?? 3;
        if (detector && (detector.options.windowSize !== windowSize || detector.options.warmup !== warmupCount)) {
          // Parameters given through inputs may change between runs; a window cannot change shape mid-stream.
          if (detector.samples > 0) {
            throw new InvalidInputError({
              message: `step "${stepName}": window_size/warmup changed mid-stream (from ${detector.options.windowSize}/${detector.options.warmup} to ${windowSize}/${warmupCount}); reset the stream first`,
              stepName,
              property: detector.options.windowSize !== windowSize ? 'window_size' : 'warmup',
            });
          }
          detector = undefined;
        }
        detector ??= createOutlierDetector({ warmup: warmupCount, windowSize, tail: properties.tail ?? 'both', baseline: properties.baseline ?? 'sliding', stepName });
        const verdict = detector.update(embedding, threshold_percentile ?? 0.05);
        return { is_outlier: verdict.isOutlier, percentile: verdict.percentile, warming_up: verdict.warmingUp };
      },
      reset() {
        detector?.reset();
      },
    };
  },
});
