import { InvalidInputError, type VectorSource } from '@vad/core';
import { dot, loadUnitEmbedding } from './embedding-vector.js';
import { createRowScorer, type RowScorer } from './row-scorer.js';

/**
 * The statistics of Identify Outliers, independent of the workflow engine.
 *
 * Default semantics are Roboflow's `roboflow_core/identify_outliers@v1`:
 * 1. the embedding is scaled to unit length;
 * 2. it joins a window of the last `windowSize` unit embeddings (the window includes it);
 * 3. while fewer than `warmup` samples have been seen (`samples < warmup`, counting this one) the
 *    answer is `{isOutlier: false, percentile: 0.5, warmingUp: true}`;
 * 4. the mean direction is μ = Σeᵢ / |Σeᵢ| over the window (the current embedding when the window
 *    has one entry or its sum is the zero vector);
 * 5. percentile = (number of window entries whose tᵢ = eᵢ·μ is strictly below the current t) / n;
 *    ties do not count, so a window of identical embeddings gives percentile 0;
 * 6. outlier when percentile < threshold or percentile > 1 − threshold.
 *
 * Two options change what is tested, never the defaults:
 * - `tail: 'low'` flags only percentile < threshold (frames unusually far from the mean direction),
 *   and ranks ties at their mid-rank (less + ½·other equal entries) / n, so a repeated frame is
 *   typical, not extreme. Roboflow's two-sided test also flags the frames *closest* to the mean.
 * - `baseline: 'frozen'` stops updating the window when warm-up ends: the window at the first scored
 *   frame (the last min(warmup, windowSize) embeddings, that frame included) is the reference. Its
 *   mean direction and sorted tᵢ are kept; each later frame is ranked against them without joining,
 *   so percentile = (reference entries below t) / n can reach 1.
 */
export interface OutlierDetectorOptions {
  /** Samples (this one included) before the first verdict; Roboflow's default 3. With a frozen baseline it sizes the reference. */
  readonly warmup: number;
  /** Unit embeddings kept in the window; `null` keeps all (the cost per frame then grows with the stream). Default 32. */
  readonly windowSize: number | null;
  readonly tail?: 'both' | 'low';
  readonly baseline?: 'sliding' | 'frozen';
  /** For error messages. */
  readonly stepName?: string;
  /** Where the window products run: WebAssembly SIMD (default, when available) or plain JavaScript. */
  readonly engine?: 'wasm' | 'javascript';
}

export interface OutlierVerdict {
  readonly isOutlier: boolean;
  /** Rank of this embedding's alignment with the mean direction, in [0, 1]. */
  readonly percentile: number;
  readonly warmingUp: boolean;
}

export interface OutlierDetector {
  /** Scores one embedding (and, for a sliding baseline, adds it to the window). */
  update(embedding: unknown, thresholdPercentile: number): OutlierVerdict;
  /** Forgets every sample (the next embedding may have another dimension). */
  reset(): void;
  /** Samples seen since the last reset. */
  readonly samples: number;
  /** Dimension of this stream's embeddings; undefined before the first. */
  readonly dimension: number | undefined;
  readonly options: Required<Omit<OutlierDetectorOptions, 'stepName' | 'engine'>>;
  /** Where the window products run (known after the first embedding). */
  readonly engine: 'wasm' | 'javascript' | undefined;
}

const warmingUpVerdict: OutlierVerdict = Object.freeze({ isOutlier: false, percentile: 0.5, warmingUp: true });
/** The running sum is recomputed from the window this often, so rounding never accumulates. */
const resumEvery = 1024;

export function createOutlierDetector(options: OutlierDetectorOptions): OutlierDetector {
  const warmup = options.warmup;
  const windowSize = options.windowSize;
  const tail = options.tail ?? 'both';
  const baseline = options.baseline ?? 'sliding';
  const source: VectorSource = { stepName: options.stepName, property: 'embedding' };
  if (!Number.isInteger(warmup) || warmup < 0) {
    throw new InvalidInputError({ message: `warmup must be a whole number ≥ 0, got ${warmup}`, stepName: options.stepName, property: 'warmup' });
  }
  if (windowSize !== null && (!Number.isInteger(windowSize) || windowSize < 1)) {
    throw new InvalidInputError({ message: `window_size must be a whole number ≥ 1 (or null for no limit), got ${windowSize}`, stepName: options.stepName, property: 'window_size' });
  }

  let dimension: number | undefined;
  let samples = 0;
  let scorer: RowScorer | undefined;
  // Window: a ring of unit embeddings, `count` of them, the oldest at `head`.
  let capacity = 0;
  let window: Float64Array = new Float64Array(0);
  let count = 0;
  let head = 0;
  let pushesSinceResum = 0;
  let sum: Float64Array = new Float64Array(0);
  // Per-frame scratch: tᵢ (scaled by |Σ|) of the window entries; the current frame's unit vector.
  let scores: Float64Array = new Float64Array(0);
  let current: Float64Array = new Float64Array(0);
  // Frozen baseline: the direction and the sorted scores of the reference.
  let frozenDirection: Float64Array | undefined;
  let frozenScores: Float64Array | undefined;

  function useScorer(next: RowScorer) {
    scorer = next;
    capacity = next.capacity;
    window = next.rows;
    sum = next.direction;
    scores = next.scores;
  }

  function allocate(d: number) {
    dimension = d;
    useScorer(createRowScorer(windowSize ?? 64, d, options.engine ? { engine: options.engine } : {}));
  }

  function grow() {
    const d = dimension!;
    const previous = scorer!;
    const bigger = createRowScorer(capacity * 2, d, options.engine ? { engine: options.engine } : {});
    for (let k = 0; k < count; k++) bigger.rows.set(previous.rows.subarray(((head + k) % capacity) * d, (((head + k) % capacity) + 1) * d), k * d);
    bigger.direction.set(previous.direction);
    head = 0;
    useScorer(bigger);
  }

  function resum() {
    const d = dimension!;
    sum.fill(0);
    for (let k = 0; k < count; k++) {
      const offset = ((head + k) % capacity) * d;
      for (let j = 0; j < d; j++) sum[j]! += window[offset + j]!;
    }
    pushesSinceResum = 0;
  }

  /**
   * Adds the unit vector in `current` to the window as its newest entry, evicting the oldest when
   * full; returns its slot. Filled slots are always 0 … count−1 (head only moves once the ring is
   * full), so scoring can walk the rows in memory order.
   */
  function push(): number {
    const d = dimension!;
    if (count === capacity && windowSize === null) grow();
    // Local names for the state arrays: V8 keeps them in registers in the loops below.
    const rows = window;
    const total = sum;
    const vector = current;
    let slot: number;
    if (count === capacity) {
      // Full: the newest entry takes the oldest one's slot; one pass replaces it and updates Σ.
      slot = head;
      const offset = slot * d;
      for (let j = 0; j < d; j++) {
        const value = vector[j]!;
        total[j] = total[j]! + value - rows[offset + j]!;
        rows[offset + j] = value;
      }
      head = (head + 1) % capacity;
    } else {
      slot = (head + count) % capacity;
      const offset = slot * d;
      for (let j = 0; j < d; j++) {
        const value = vector[j]!;
        total[j] = total[j]! + value;
        rows[offset + j] = value;
      }
      count++;
    }
    if (++pushesSinceResum >= resumEvery) resum();
    return slot;
  }

  /**
   * The direction the window is compared with: Σeᵢ, or the current embedding (copied to the
   * scorer's second vector) when the window has one entry or Σ = 0. Only its direction matters (ranks).
   */
  function direction(): 'direction' | 'other' {
    if (count >= 2 && dot(sum, 0, sum, 0, dimension!) > 0) return 'direction';
    scorer!.other.set(current);
    return 'other';
  }

  function percentileOf(value: number, reference: Float64Array, length: number, includesSelf: boolean): number {
    let less = 0;
    let equal = 0;
    for (let k = 0; k < length; k++) {
      const score = reference[k]!;
      if (score < value) less++;
      else if (score === value) equal++;
    }
    if (tail === 'both') return less / length;
    const others = includesSelf ? equal - 1 : equal;
    return (less + 0.5 * others) / length;
  }

  function verdict(percentile: number, threshold: number): OutlierVerdict {
    const isOutlier = tail === 'both' ? percentile < threshold || percentile > 1 - threshold : percentile < threshold;
    return { isOutlier, percentile, warmingUp: false };
  }

  return {
    options: { warmup, windowSize, tail, baseline },
    get samples() {
      return samples;
    },
    get dimension() {
      return dimension;
    },
    get engine() {
      return scorer?.engine;
    },
    reset() {
      scorer = undefined;
      dimension = undefined;
      samples = 0;
      count = 0;
      head = 0;
      capacity = 0;
      pushesSinceResum = 0;
      frozenDirection = undefined;
      frozenScores = undefined;
    },
    update(embedding, thresholdPercentile) {
      current = loadUnitEmbedding(embedding, current, dimension, source);
      if (dimension === undefined) allocate(current.length);
      samples++;

      if (frozenDirection && frozenScores) {
        const value = dot(current, 0, frozenDirection, 0, dimension!);
        return verdict(percentileOf(value, frozenScores, frozenScores.length, false), thresholdPercentile);
      }

      const slot = push();
      if (samples < warmup) return warmingUpVerdict;

      const towards = direction();
      scorer!.score(count, towards);
      // The current embedding is a window entry: its score is computed exactly as the others'.
      const value = scores[slot]!;
      const result = verdict(percentileOf(value, scores, count, true), thresholdPercentile);
      if (baseline === 'frozen') {
        frozenDirection = Float64Array.from(towards === 'direction' ? sum : scorer!.other);
        // Re-scored with the same dot product later frames get, so a frame equal to a reference
        // entry ties with it exactly (the SIMD kernel sums in another order).
        const reference = new Float64Array(count);
        for (let k = 0; k < count; k++) reference[k] = dot(window, k * dimension!, frozenDirection, 0, dimension!);
        frozenScores = reference.sort();
        // The reference is all that is needed from now on.
        scorer = undefined;
        window = sum = scores = new Float64Array(0);
      }
      return result;
    },
  };
}
