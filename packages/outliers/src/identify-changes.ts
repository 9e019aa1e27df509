import { defineBlock, field, InvalidInputError, z, type EmbeddingValue } from '@vad/core';
import { changeStrategies, createChangeDetector, type ChangeDetector } from './change-detector.js';

/**
 * Identify Changes: is this frame's similarity to the running average embedding unusual compared
 * with how similar frames have been so far? Roboflow's `roboflow_core/identify_changes@v1`
 * semantics (see change-detector.ts).
 */
export const identifyChanges = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/identify_changes@v1',
  aliases: ['roboflow_core/identify_changes@v1'],
  title: 'Identify Changes',
  description:
    'Keeps a running average embedding (EMA, SMA or sliding window), takes the cosine similarity of each frame to it, and flags frames whose similarity ' +
    'has an unusual z-score against the running statistics of that similarity (both faster and slower change than usual).',
  manifest: {
    strategy: field.literal(z.enum(changeStrategies).default('Exponential Moving Average (EMA)'), { description: 'How the running averages are kept' }),
    embedding: field.selector<EmbeddingValue>(['embedding'], { description: 'Embedding of the current frame (any dimension, fixed per stream)' }),
    threshold_percentile: field.parameter(z.number().min(0).max(1).default(0.2), ['float_zero_to_one'], {
      description: 'Sensitivity: outlier when the percentile is ≤ t/2 or ≥ 1 − t/2',
    }),
    warmup: field.parameter(z.number().int().min(0).default(3), ['integer'], { description: 'Frames before the first verdict' }),
    smoothing_factor: field.parameter(z.number().min(0).max(1).default(0.1), ['float_zero_to_one'], {
      description: 'EMA weight of the newest frame (EMA strategy only)',
    }),
    window_size: field.parameter(z.number().int().min(1).default(10), ['integer'], { description: 'Frames in the window (Sliding Window strategy only)' }),
  },
  outputs: {
    is_outlier: { kinds: ['boolean'] },
    percentile: { kinds: ['float_zero_to_one'] },
    z_score: { kinds: ['float'] },
    average: { kinds: ['embedding'] },
    std: { kinds: ['embedding'] },
    warming_up: { kinds: ['boolean'] },
  },
  stateful: true,
  create: ({ stepName, properties }) => {
    const strategy = properties.strategy ?? 'Exponential Moving Average (EMA)';
    let detector: ChangeDetector | undefined;
    return {
      run({ embedding, threshold_percentile, warmup, smoothing_factor, window_size }) {
        const windowSize = window_size ?? 10;
        if (detector && detector.options.windowSize !== windowSize && strategy === 'Sliding Window') {
          throw new InvalidInputError({
            message: `step "${stepName}": window_size changed mid-stream (from ${detector.options.windowSize} to ${windowSize}); reset the stream first`,
            stepName,
            property: 'window_size',
          });
        }
        detector ??= createChangeDetector({ strategy, windowSize, stepName });
        const verdict = detector.update(embedding, {
          thresholdPercentile: threshold_percentile ?? 0.2,
          warmup: warmup ?? 3,
          smoothingFactor: smoothing_factor ?? 0.1,
        });
        return {
          is_outlier: verdict.isOutlier,
          percentile: verdict.percentile,
          z_score: verdict.zScore,
          average: verdict.average,
          std: verdict.std,
          warming_up: verdict.warmingUp,
        };
      },
      reset() {
        detector?.reset();
      },
    };
  },
});
