import { describe, expect, it } from 'vitest';
import { createChangeDetector, type ChangeParameters, type ChangeStrategy } from './change-detector.js';

const defaults: ChangeParameters = { thresholdPercentile: 0.2, warmup: 3, smoothingFactor: 0.1 };

function run(strategy: ChangeStrategy, frames: number[][], parameters: Partial<ChangeParameters> = {}, windowSize = 10) {
  const detector = createChangeDetector({ strategy, windowSize });
  return frames.map((frame) => detector.update(Float32Array.from(frame), { ...defaults, ...parameters }));
}

describe('identify changes statistics (Roboflow semantics)', () => {
  it('EMA: hand-computed similarities, z-scores and percentiles', () => {
    // α = 0.5. f1 (1,0) seeds the average. f2 (0,1): cs = 0 seeds the cs statistics (z 0, p 0.5).
    // average → (0.5,0.5), var → (0.125,0.125).
    // f3 (1,0): cs = 0.5/√0.5 = 0.70711; mean → 0.35355, var → ½(0.35355)² = 0.0625, std 0.25;
    //   z = 0.35355/0.25 = √2; p = 1 − Φ(√2) = 0.07865 (still warming up: 2 earlier frames < 3).
    // average → (0.75,0.25). f4 (0,1): cs = 0.25/|(0.75,0.25)| = 0.31623; mean → 0.33489;
    //   var → ½·0.0625 + ½(−0.018662)² = 0.031424, std 0.17727; z = −0.10528; p = 0.54192.
    const verdicts = run('Exponential Moving Average (EMA)', [[1, 0], [0, 1], [1, 0], [0, 1]], { smoothingFactor: 0.5 });
    expect(verdicts[0]).toMatchObject({ isOutlier: false, percentile: 0.5, zScore: 0, warmingUp: true });
    expect(verdicts[1]).toMatchObject({ percentile: 0.5, zScore: 0, warmingUp: true });
    expect(verdicts[1]!.similarity).toBeCloseTo(0, 12);
    expect(verdicts[2]!.zScore).toBeCloseTo(Math.SQRT2, 6);
    expect(verdicts[2]!.percentile).toBeCloseTo(0.0786496035251425, 6);
    expect(verdicts[2]!.isOutlier).toBe(false);
    expect(verdicts[2]!.warmingUp).toBe(true);
    expect(verdicts[3]!.zScore).toBeCloseTo(-0.10527986427671694, 6);
    expect(verdicts[3]!.percentile).toBeCloseTo(0.5419231299239329, 6);
    expect(verdicts[3]!.warmingUp).toBe(false);
    expect(verdicts[3]!.isOutlier).toBe(false);
    // average after f4: ½(0.75,0.25) + ½(0,1) = (0.375, 0.625); var = ½(0.09375) + ½(0.375)² per dimension.
    expect(Array.from(verdicts[3]!.average)).toEqual([expect.closeTo(0.375, 6), expect.closeTo(0.625, 6)]);
    expect(verdicts[3]!.std[0]).toBeCloseTo(Math.sqrt(0.5 * 0.09375 + 0.5 * 0.375 ** 2), 6);
    expect(verdicts[3]!.average).toBeInstanceOf(Float32Array);
  });

  it("SMA: keeps Roboflow's count (frames seen + 1) for the similarity statistics", () => {
    // f2: cs 0 seeds. average (0.5,0.5), std √(0.5/1) per dimension.
    // f3 (1,0): cs = 0.70711; count = 3 (not 2): mean = cs/3 = 0.23570; M2 = cs·(cs − mean) = 1/3;
    //   std = √(M2/2) = 0.40825; z = 1.15470; p = 1 − Φ(1.1547) = 0.12411.
    const verdicts = run('Simple Moving Average (SMA)', [[1, 0], [0, 1], [1, 0]]);
    expect(Array.from(verdicts[1]!.std)).toEqual([expect.closeTo(Math.SQRT1_2, 6), expect.closeTo(Math.SQRT1_2, 6)]);
    expect(verdicts[2]!.zScore).toBeCloseTo(1.1547005383792515, 6);
    expect(verdicts[2]!.percentile).toBeCloseTo(0.12410653949496186, 6);
    expect(Array.from(verdicts[2]!.average)).toEqual([expect.closeTo(2 / 3, 6), expect.closeTo(1 / 3, 6)]);
  });

  it('Sliding Window: the first frame and the first similarity only seed; old entries leave the window', () => {
    // window 2. f1 (1,0) seeds the average; f2 (0,1): cs 0 seeds; window [(0,1)] → average (0,1).
    // f3 (1,0): cs 0; cs window [0] → mean 0, std 0, cs = mean → z 0, p 0.5 (Roboflow: NaN).
    //   window [(0,1),(1,0)] → average (0.5,0.5), std (0.5,0.5).
    // f4 (0.6,0.8): cs = 0.7/√0.5 = 0.98995; cs window [0, 0.98995] → mean = std = 0.49497 → z 1, p 0.15866.
    //   window [(1,0),(0.6,0.8)] → average (0.8,0.4), std (0.2,0.4).
    // f5 (0,1): cs = 0.4/|(0.8,0.4)| = 0.44721; cs window [0.98995, 0.44721] → z −1, p 0.84134.
    const verdicts = run('Sliding Window', [[1, 0], [0, 1], [1, 0], [0.6, 0.8], [0, 1]], { thresholdPercentile: 0.4 }, 2);
    expect(verdicts[2]).toMatchObject({ zScore: 0, percentile: 0.5, isOutlier: false });
    expect(verdicts[3]!.zScore).toBeCloseTo(1, 6);
    expect(verdicts[3]!.percentile).toBeCloseTo(0.15865525393145707, 6);
    expect(verdicts[3]!.isOutlier).toBe(true); // 0.1587 ≤ 0.4/2
    expect(Array.from(verdicts[3]!.average)).toEqual([expect.closeTo(0.8, 6), expect.closeTo(0.4, 6)]);
    expect(Array.from(verdicts[3]!.std)).toEqual([expect.closeTo(0.2, 6), expect.closeTo(0.4, 6)]);
    expect(verdicts[4]!.zScore).toBeCloseTo(-1, 6);
    expect(verdicts[4]!.percentile).toBeCloseTo(0.8413447460685429, 6);
    expect(verdicts[4]!.isOutlier).toBe(true); // 0.8413 ≥ 1 − 0.4/2: less similar than usual
  });

  it('a change against zero spread gives an infinite z-score and percentile 1: an outlier', () => {
    // α = 0: the averages never move; cs statistics stay (1, std 0); (0,1) has cs 0 → z = −∞.
    const verdicts = run('Exponential Moving Average (EMA)', [[1, 0], [1, 0], [0, 1], [0, 1]], { smoothingFactor: 0 });
    expect(verdicts[3]).toMatchObject({ zScore: Number.NEGATIVE_INFINITY, percentile: 1, isOutlier: true, warmingUp: false });
  });

  it('rejects dimension changes, NaN and zero vectors', () => {
    const detector = createChangeDetector({ strategy: 'Exponential Moving Average (EMA)', windowSize: 10, stepName: 'changes' });
    detector.update(Float32Array.from([1, 2, 3]), defaults);
    expect(() => detector.update(Float32Array.from([1, 2]), defaults)).toThrow(/step "changes", property "embedding": the embedding has dimension 2 .* 3-dimensional/);
    expect(() => detector.update(Float32Array.from([1, Number.NaN, 3]), defaults)).toThrow(/NaN at index 1/);
    expect(() => detector.update(new Float32Array(3), defaults)).toThrow(/zero vector/);
    expect(detector.samples).toBe(1);
    detector.reset();
    expect(detector.update(Float32Array.from([1, 2]), defaults).warmingUp).toBe(true);
  });
});
