import { InvalidInputError, type VectorSource } from '@vad/core';
import { dot, loadUnitEmbedding } from './embedding-vector.js';
import { erf } from './error-function.js';

/**
 * The statistics of Identify Changes, independent of the workflow engine, following Roboflow's
 * `roboflow_core/identify_changes@v1` step by step (its quirks included, so results match):
 *
 * For each frame (n = frames seen before this one):
 * 1. e = embedding / |embedding|.
 * 2. From the second frame on, cs = cos(e, average). The first cs only seeds the running
 *    statistics of cs (mean cs, std 0). Later ones update them by the strategy:
 *    - EMA:  mean ← (1−α)·mean + α·cs; var ← (1−α)·var + α·(cs − mean)²  (the new mean)
 *    - SMA:  Welford with count = n + 1 (Roboflow counts the first frame, which had no cs)
 *    - Sliding Window: mean and population std of the last `window_size` cs values (the seed excluded)
 *    z = (cs − mean) / std; percentile = 1 − Φ(z) (so a frame much *less* similar than usual has
 *    percentile near 1). Where std = 0 and cs = mean Roboflow gets 0/0 = NaN (flag false); we return
 *    z = 0 and percentile 0.5 (same flag, and JSON can carry them). Where std = 0 and cs ≠ mean,
 *    z = ±Infinity and percentile 0 or 1, as in Roboflow.
 * 3. warming up while n < warmup; otherwise outlier when percentile ≤ t/2 or ≥ 1 − t/2.
 * 4. The average embedding (and per-dimension std) update by the same strategy; the first frame
 *    seeds the average and, with Sliding Window, is not part of the window.
 */
export type ChangeStrategy = 'Exponential Moving Average (EMA)' | 'Simple Moving Average (SMA)' | 'Sliding Window';
export const changeStrategies = ['Exponential Moving Average (EMA)', 'Simple Moving Average (SMA)', 'Sliding Window'] as const;

export interface ChangeDetectorOptions {
  readonly strategy: ChangeStrategy;
  /** For the Sliding Window strategy: how many embeddings (and similarities) are kept. */
  readonly windowSize: number;
  readonly stepName?: string;
}

export interface ChangeParameters {
  /** Two-sided: outlier when percentile ≤ t/2 or ≥ 1 − t/2. Roboflow's default 0.2. */
  readonly thresholdPercentile: number;
  /** Frames before the first verdict. Default 3. */
  readonly warmup: number;
  /** EMA weight of the newest frame. Default 0.1. */
  readonly smoothingFactor: number;
}

export interface ChangeVerdict {
  readonly isOutlier: boolean;
  readonly percentile: number;
  readonly zScore: number;
  /** Average embedding after this frame (a copy). */
  readonly average: Float32Array;
  /** Per-dimension standard deviation after this frame (a copy). */
  readonly std: Float32Array;
  readonly warmingUp: boolean;
  /** cos(e, average before this frame); NaN for the first frame. */
  readonly similarity: number;
}

export interface ChangeDetector {
  update(embedding: unknown, parameters: ChangeParameters): ChangeVerdict;
  reset(): void;
  readonly samples: number;
  readonly dimension: number | undefined;
  readonly options: Required<Omit<ChangeDetectorOptions, 'stepName'>>;
}

export function createChangeDetector(options: ChangeDetectorOptions): ChangeDetector {
  const { strategy, windowSize } = options;
  const source: VectorSource = { stepName: options.stepName, property: 'embedding' };
  if (!Number.isInteger(windowSize) || windowSize < 1) {
    throw new InvalidInputError({ message: `window_size must be a whole number ≥ 1, got ${windowSize}`, stepName: options.stepName, property: 'window_size' });
  }
  let dimension: number | undefined;
  let samples = 0;
  let unit: Float64Array = new Float64Array(0);
  let average = new Float64Array(0);
  let variance = new Float64Array(0); // EMA: running variance; SMA: Welford's M2; window: unused
  let std = new Float64Array(0);
  // Sliding Window strategy: ring of unit embeddings, and of similarities.
  let ring = new Float64Array(0);
  let ringCount = 0;
  let ringHead = 0;
  const similarities = new Float64Array(windowSize);
  let similarityCount = 0;
  let similarityHead = 0;
  // Running statistics of the cosine similarity.
  let similarityMean: number | undefined;
  let similarityVariance = 0;
  let similarityStd = 0;

  function allocate(d: number) {
    dimension = d;
    average = new Float64Array(d);
    variance = new Float64Array(d);
    std = new Float64Array(d);
    if (strategy === 'Sliding Window') ring = new Float64Array(windowSize * d);
  }

  function updateSimilarityStatistics(similarity: number, smoothingFactor: number) {
    if (similarityMean === undefined) {
      similarityMean = similarity;
      similarityVariance = 0;
      similarityStd = 0;
      return;
    }
    if (strategy === 'Exponential Moving Average (EMA)') {
      similarityMean = (1 - smoothingFactor) * similarityMean + smoothingFactor * similarity;
      const difference = similarity - similarityMean;
      similarityVariance = (1 - smoothingFactor) * similarityVariance + smoothingFactor * difference * difference;
      similarityStd = Math.sqrt(similarityVariance);
    } else if (strategy === 'Simple Moving Average (SMA)') {
      const countNow = samples + 1;
      const delta = similarity - similarityMean;
      similarityMean = similarity / countNow + (similarityMean * samples) / countNow;
      similarityVariance += delta * (similarity - similarityMean); // Welford's M2
      similarityStd = Math.sqrt(similarityVariance / (countNow - 1));
    } else {
      if (similarityCount === windowSize) similarityHead = (similarityHead + 1) % windowSize;
      else similarityCount++;
      similarities[(similarityHead + similarityCount - 1) % windowSize] = similarity;
      let total = 0;
      for (let k = 0; k < similarityCount; k++) total += similarities[k]!;
      const mean = total / similarityCount;
      let squares = 0;
      for (let k = 0; k < similarityCount; k++) squares += (similarities[k]! - mean) ** 2;
      similarityMean = mean;
      similarityStd = Math.sqrt(squares / similarityCount);
    }
  }

  function updateAverage(smoothingFactor: number) {
    const d = dimension!;
    // Local names for the state arrays: V8 keeps them in registers in the loops below.
    const mean = average;
    const spread = variance;
    const deviation = std;
    const current = unit;
    if (samples === 0) {
      mean.set(current);
      spread.fill(0);
      deviation.fill(0);
      return;
    }
    if (strategy === 'Exponential Moving Average (EMA)') {
      const keep = 1 - smoothingFactor;
      for (let j = 0; j < d; j++) {
        const updated = keep * mean[j]! + smoothingFactor * current[j]!;
        const difference = current[j]! - updated;
        const value = keep * spread[j]! + smoothingFactor * difference * difference;
        mean[j] = updated;
        spread[j] = value;
        deviation[j] = Math.sqrt(value);
      }
    } else if (strategy === 'Simple Moving Average (SMA)') {
      const countNow = samples + 1;
      for (let j = 0; j < d; j++) {
        const delta = current[j]! - mean[j]!;
        const updated = mean[j]! + delta / countNow;
        const m2 = spread[j]! + delta * (current[j]! - updated);
        mean[j] = updated;
        spread[j] = m2;
        deviation[j] = Math.sqrt(m2 / (countNow - 1));
      }
    } else {
      const rows = ring;
      if (ringCount === windowSize) ringHead = (ringHead + 1) % windowSize;
      else ringCount++;
      rows.set(current, ((ringHead + ringCount - 1) % windowSize) * d);
      const n = ringCount;
      // Two passes, as numpy's mean and std: the mean, then the mean squared deviation from it.
      mean.fill(0);
      for (let k = 0; k < n; k++) for (let j = 0, o = k * d; j < d; j++) mean[j] = mean[j]! + rows[o + j]!;
      for (let j = 0; j < d; j++) mean[j] = mean[j]! / n;
      deviation.fill(0);
      for (let k = 0; k < n; k++) {
        for (let j = 0, o = k * d; j < d; j++) {
          const difference = rows[o + j]! - mean[j]!;
          deviation[j] = deviation[j]! + difference * difference;
        }
      }
      for (let j = 0; j < d; j++) deviation[j] = Math.sqrt(deviation[j]! / n);
    }
  }

  return {
    options: { strategy, windowSize },
    get samples() {
      return samples;
    },
    get dimension() {
      return dimension;
    },
    reset() {
      dimension = undefined;
      samples = 0;
      ringCount = 0;
      ringHead = 0;
      similarityCount = 0;
      similarityHead = 0;
      similarityMean = undefined;
      similarityVariance = 0;
      similarityStd = 0;
    },
    update(embedding, parameters) {
      unit = loadUnitEmbedding(embedding, unit, dimension, source);
      if (dimension === undefined) allocate(unit.length);
      const d = dimension!;

      let percentile = 0.5;
      let zScore = 0;
      let similarity = Number.NaN;
      if (samples > 0) {
        const averageNorm = Math.sqrt(dot(average, 0, average, 0, d));
        // |unit| is 1 up to rounding; Roboflow divides by both norms, and so do we.
        similarity = dot(unit, 0, average, 0, d) / (Math.sqrt(dot(unit, 0, unit, 0, d)) * averageNorm);
        updateSimilarityStatistics(similarity, parameters.smoothingFactor);
        const deviation = similarity - similarityMean!;
        if (similarityStd === 0) zScore = deviation === 0 ? 0 : deviation > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
        else zScore = deviation / similarityStd;
        percentile = deviation === 0 && similarityStd === 0 ? 0.5 : 1 - 0.5 * (1 + erf(zScore / Math.SQRT2));
      }
      const warmingUp = samples < parameters.warmup;
      const threshold = parameters.thresholdPercentile;
      const isOutlier = !warmingUp && (percentile <= threshold / 2 || percentile >= 1 - threshold / 2);
      updateAverage(parameters.smoothingFactor);
      samples++;
      return { isOutlier, percentile, zScore, average: new Float32Array(average), std: new Float32Array(std), warmingUp, similarity };
    },
  };
}
