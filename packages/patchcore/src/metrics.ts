import { InvalidInputError, labelComponents } from '@vad/core';
import { argsortDescending } from './sort-scores.js';

/** A ROC curve: false- and true-positive rates at each distinct threshold, highest threshold first. */
export interface RocCurve {
  readonly falsePositiveRate: Float64Array;
  readonly truePositiveRate: Float64Array;
  /** `score >= thresholds[i]` is called anomalous at point i. */
  readonly thresholds: Float32Array;
  readonly auroc: number;
}

function checkInputs(scores: Float32Array, labels: Uint8Array, what: string): { positives: number; negatives: number } {
  if (scores.length !== labels.length) {
    throw new InvalidInputError({ message: `${what}: ${scores.length} scores but ${labels.length} labels` });
  }
  let positives = 0;
  for (let index = 0; index < labels.length; index++) {
    if (Number.isNaN(scores[index])) throw new InvalidInputError({ message: `${what}: score ${index} is NaN` });
    if (labels[index] !== 0) positives++;
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new InvalidInputError({ message: `${what} needs both normal and anomalous samples (got ${positives} anomalous, ${negatives} normal)` });
  }
  return { positives, negatives };
}

/**
 * Exact ROC curve and area (ties counted as half, as in the Mann–Whitney U statistic) from one
 * radix argsort: linear in the number of samples, so 10^7 pixels take well under a second.
 * `maxPoints` thins the returned curve (for plotting); the area is always computed on every point.
 */
export function rocCurve(scores: Float32Array, labels: Uint8Array, options: { maxPoints?: number } = {}): RocCurve {
  const { positives, negatives } = checkInputs(scores, labels, 'ROC curve');
  const order = argsortDescending(scores);
  const count = order.length;
  const keepEvery = options.maxPoints ? Math.max(1, Math.floor(count / options.maxPoints)) : 1;
  const falsePositiveRate: number[] = [0];
  const truePositiveRate: number[] = [0];
  const thresholds: number[] = [Infinity];
  let truePositives = 0;
  let falsePositives = 0;
  let area = 0;
  let previousFpr = 0;
  let previousTpr = 0;
  let sinceKept = 0;
  for (let position = 0; position < count; ) {
    const score = scores[order[position]!]!;
    // Consume the whole group of tied scores.
    while (position < count && scores[order[position]!] === score) {
      if (labels[order[position]!] !== 0) truePositives++;
      else falsePositives++;
      position++;
    }
    const fpr = falsePositives / negatives;
    const tpr = truePositives / positives;
    area += (fpr - previousFpr) * (tpr + previousTpr) * 0.5;
    previousFpr = fpr;
    previousTpr = tpr;
    if (++sinceKept >= keepEvery || position === count) {
      sinceKept = 0;
      falsePositiveRate.push(fpr);
      truePositiveRate.push(tpr);
      thresholds.push(score);
    }
  }
  return {
    falsePositiveRate: Float64Array.from(falsePositiveRate),
    truePositiveRate: Float64Array.from(truePositiveRate),
    thresholds: Float32Array.from(thresholds),
    auroc: area,
  };
}

/** Area under the ROC curve (exact, ties as half). */
export function auroc(scores: Float32Array, labels: Uint8Array): number {
  return rocCurve(scores, labels, { maxPoints: 2 }).auroc;
}

export interface F1Max {
  readonly f1: number;
  /** Calling `score >= threshold` anomalous reaches `f1`. */
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
}

/** The threshold that maximises F1 (anomalous = positive class), over every distinct score. */
export function f1Max(scores: Float32Array, labels: Uint8Array): F1Max {
  const { positives } = checkInputs(scores, labels, 'F1-max');
  const order = argsortDescending(scores);
  let best: F1Max = { f1: -1, threshold: Infinity, precision: 0, recall: 0 };
  let truePositives = 0;
  let called = 0;
  for (let position = 0; position < order.length; ) {
    const score = scores[order[position]!]!;
    while (position < order.length && scores[order[position]!] === score) {
      if (labels[order[position]!] !== 0) truePositives++;
      called++;
      position++;
    }
    const precision = truePositives / called;
    const recall = truePositives / positives;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > best.f1) {
      // Put the threshold halfway to the next lower score, so it does not sit on a sample.
      const nextScore = position < order.length ? scores[order[position]!]! : score - Math.abs(score) * 1e-3 - 1e-6;
      best = { f1, threshold: (score + nextScore) / 2, precision, recall };
    }
  }
  return best;
}

/** One scored image with its ground-truth mask, for pixel metrics. */
export interface ScoredMask {
  /** Per-pixel anomaly scores, row-major. */
  readonly scores: Float32Array;
  /** Per-pixel ground truth: non-zero is anomalous. Same size as `scores`. */
  readonly mask: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Concatenates per-image maps and masks into flat arrays. */
export function flattenMasks(items: readonly ScoredMask[]): { scores: Float32Array; labels: Uint8Array } {
  let total = 0;
  for (const item of items) {
    if (item.scores.length !== item.width * item.height || item.mask.length !== item.scores.length) {
      throw new InvalidInputError({ message: `anomaly map (${item.scores.length}) and mask (${item.mask.length}) must both hold ${item.width}×${item.height} values` });
    }
    total += item.scores.length;
  }
  const scores = new Float32Array(total);
  const labels = new Uint8Array(total);
  let offset = 0;
  for (const item of items) {
    scores.set(item.scores, offset);
    labels.set(item.mask, offset);
    offset += item.scores.length;
  }
  return { scores, labels };
}

/** Pixel-level AUROC over all pixels of all images. */
export function pixelAuroc(items: readonly ScoredMask[]): number {
  const { scores, labels } = flattenMasks(items);
  return auroc(scores, labels);
}

/**
 * Area under the per-region-overlap curve up to a false-positive rate of `maxFpr` (default 0.3),
 * divided by `maxFpr` so that 1 is perfect (Bergmann et al., MVTec AD, IJCV 2021). Each connected
 * region of a ground-truth mask (8-connectivity) weighs the same whatever its size; the FPR counts
 * every normal pixel of every image. Exact: one sort, every distinct threshold.
 */
export function aupro(items: readonly ScoredMask[], options: { maxFpr?: number } = {}): number {
  const maxFpr = options.maxFpr ?? 0.3;
  const { scores } = flattenMasks(items);
  // weight > 0: 1 / (regions × region area) for an anomalous pixel; 0: a normal pixel.
  const weights = new Float64Array(scores.length);
  let regions = 0;
  let offset = 0;
  for (const item of items) {
    const { labels, components } = labelComponents(item.mask, item.width, item.height);
    for (let index = 0; index < labels.length; index++) {
      const label = labels[index]!;
      if (label > 0) weights[offset + index] = -components[label - 1]!.area; // resolved below
    }
    regions += components.length;
    offset += labels.length;
  }
  if (regions === 0) throw new InvalidInputError({ message: 'AUPRO needs at least one anomalous region in the masks' });
  let normals = 0;
  for (let index = 0; index < weights.length; index++) {
    const weight = weights[index]!;
    if (weight === 0) normals++;
    else weights[index] = 1 / (regions * -weight);
  }
  if (normals === 0) throw new InvalidInputError({ message: 'AUPRO needs normal pixels in the masks' });
  const order = argsortDescending(scores);
  let fpr = 0;
  let pro = 0;
  let previousFpr = 0;
  let previousPro = 0;
  let area = 0;
  for (let position = 0; position < order.length; ) {
    const score = scores[order[position]!]!;
    let normalsInGroup = 0;
    let proInGroup = 0;
    while (position < order.length && scores[order[position]!] === score) {
      const weight = weights[order[position]!]!;
      if (weight === 0) normalsInGroup++;
      else proInGroup += weight;
      position++;
    }
    fpr += normalsInGroup / normals;
    pro += proInGroup;
    if (fpr >= maxFpr) {
      // Interpolate linearly to exactly maxFpr.
      const fraction = fpr === previousFpr ? 0 : (maxFpr - previousFpr) / (fpr - previousFpr);
      const proAtMax = previousPro + fraction * (pro - previousPro);
      area += (maxFpr - previousFpr) * (proAtMax + previousPro) * 0.5;
      return area / maxFpr;
    }
    area += (fpr - previousFpr) * (pro + previousPro) * 0.5;
    previousFpr = fpr;
    previousPro = pro;
  }
  return area / maxFpr;
}
