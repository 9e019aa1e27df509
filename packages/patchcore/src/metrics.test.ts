import { describe, expect, it } from 'vitest';
import { aupro, auroc, f1Max, pixelAuroc, rocCurve } from './metrics.js';
import { argsortDescending } from './sort-scores.js';
import { createRandom as seededRandom } from './random.js';


function bruteForceAuroc(scores: Float32Array, labels: Uint8Array): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!labels[i]) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j]) continue;
      pairs++;
      if (scores[i]! > scores[j]!) wins++;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

describe('argsortDescending', () => {
  it('orders negative, zero and positive floats highest first', () => {
    const scores = Float32Array.from([0.5, -2, 3, 0, -0.25, 3, 1e-8, -1e9]);
    const order = argsortDescending(scores);
    const sorted = Array.from(order, (index) => scores[index]);
    expect(sorted).toEqual([...scores].sort((a, b) => b - a));
  });
});

describe('auroc', () => {
  it('matches the pairwise definition, ties counted as half', () => {
    const random = seededRandom(7);
    const scores = Float32Array.from({ length: 400 }, () => Math.round(random() * 50) / 10);
    const labels = Uint8Array.from({ length: 400 }, (_, index) => (random() < 0.3 + (scores[index]! > 3 ? 0.4 : 0) ? 1 : 0));
    expect(auroc(scores, labels)).toBeCloseTo(bruteForceAuroc(scores, labels), 10);
  });

  it('is 1 for separated classes and 0.5 for all-equal scores', () => {
    expect(auroc(Float32Array.from([0.1, 0.2, 0.9, 0.8]), Uint8Array.from([0, 0, 1, 1]))).toBe(1);
    expect(auroc(Float32Array.from([1, 1, 1, 1]), Uint8Array.from([0, 1, 0, 1]))).toBeCloseTo(0.5, 12);
  });

  it('refuses labels of one class only and NaN scores', () => {
    expect(() => auroc(Float32Array.from([1, 2]), Uint8Array.from([0, 0]))).toThrow(/both normal and anomalous/);
    expect(() => auroc(Float32Array.from([1, Number.NaN]), Uint8Array.from([0, 1]))).toThrow(/NaN/);
  });

  it('ranks millions of pixels (timed on 10^7 in bench/metrics-speed.mjs)', () => {
    const count = 3_000_000;
    const scores = new Float32Array(count);
    const labels = new Uint8Array(count);
    for (let index = 0; index < count; index++) {
      labels[index] = index % 10 === 0 ? 1 : 0;
      // Anomalous pixels score 0.5 higher on a ramp: AUROC is known in closed form below.
      scores[index] = (index % 1000) / 1000 + (labels[index] ? 0.5 : 0);
    }
    const curve = rocCurve(scores, labels, { maxPoints: 100 });
    expect(curve.falsePositiveRate.length).toBeLessThanOrEqual(110);
    expect(curve.auroc).toBeGreaterThan(0.8);
    expect(curve.auroc).toBeLessThan(0.95);
  });
});

describe('f1Max', () => {
  it('finds the threshold that separates the classes best', () => {
    const scores = Float32Array.from([0.1, 0.2, 0.3, 0.7, 0.8, 0.9, 0.35]);
    const labels = Uint8Array.from([0, 0, 0, 1, 1, 1, 1]);
    const best = f1Max(scores, labels);
    expect(best.f1).toBeCloseTo(1, 12);
    expect(best.threshold).toBeGreaterThan(0.3);
    expect(best.threshold).toBeLessThan(0.35);
  });
});

describe('aupro', () => {
  it('is 1 when every region scores above every normal pixel', () => {
    const mask = Uint8Array.from([0, 0, 1, 1, 0, 0, 0, 0, 0]);
    const scores = Float32Array.from([0, 0.1, 0.9, 0.8, 0.2, 0, 0.3, 0.1, 0]);
    expect(aupro([{ scores, mask, width: 3, height: 3 }])).toBeCloseTo(1, 10);
  });

  it('weighs a small region as much as a large one', () => {
    // Row 0: a large region (4 px) detected; row 2: one pixel region scored below all normals.
    const mask = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    const scores = Float32Array.from([9, 9, 9, 9, 1, 1, 1, 1, 1, 1, 1, 0]);
    // PRO is 0.5 from FPR 0 up to FPR 1; the area to 0.3 divided by 0.3 is 0.5.
    expect(aupro([{ scores, mask, width: 4, height: 3 }])).toBeCloseTo(0.5, 10);
    expect(pixelAuroc([{ scores, mask, width: 4, height: 3 }])).toBeCloseTo(0.8, 10);
  });

  it('interpolates at the FPR limit', () => {
    // Ten normal pixels with distinct scores and one region scored in the middle.
    const scores = Float32Array.from([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 5.5]);
    const mask = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    // PRO jumps to 1 at FPR 0.5: the curve is 0 up to 0.5, so AUPRO(0.3) = 0 and AUPRO(1) = 0.5.
    expect(aupro([{ scores, mask, width: 11, height: 1 }])).toBeCloseTo(0, 10);
    expect(aupro([{ scores, mask, width: 11, height: 1 }], { maxFpr: 1 })).toBeCloseTo(0.5, 10);
  });
});
