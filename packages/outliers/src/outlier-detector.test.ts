import { describe, expect, it } from 'vitest';
import { createOutlierDetector } from './outlier-detector.js';

const s = Math.SQRT1_2;
const defaults = { warmup: 3, windowSize: 32 } as const;

function run(detector: ReturnType<typeof createOutlierDetector>, frames: number[][], threshold = 0.05) {
  return frames.map((frame) => detector.update(Float32Array.from(frame), threshold));
}

describe('identify outliers statistics (Roboflow semantics by default)', () => {
  it('warms up while samples < warmup, counting the current one', () => {
    // Frames 1 and 2 warm up; frame 3 is the first verdict.
    // Window (1,0), (0,1), (s,s): μ ∝ (1+s, 1+s); t = 1+s, 1+s, 2s(1+s) → frame 3 has 2 below it → 2/3.
    const verdicts = run(createOutlierDetector(defaults), [[1, 0], [0, 1], [s, s]]);
    expect(verdicts.map((v) => v.warmingUp)).toEqual([true, true, false]);
    expect(verdicts[0]).toEqual({ isOutlier: false, percentile: 0.5, warmingUp: true });
    expect(verdicts[2]!.percentile).toBeCloseTo(2 / 3, 12);
    expect(verdicts[2]!.isOutlier).toBe(false);
  });

  it('scores the very first frame when warmup is 1: a one-entry window ranks it at 0, an outlier', () => {
    const [first] = run(createOutlierDetector({ warmup: 1, windowSize: 32 }), [[3, 4]]);
    expect(first).toEqual({ isOutlier: true, percentile: 0, warmingUp: false });
  });

  it('evicts the oldest embedding once the window is full', () => {
    // warmup 1, window 3:  f1 (0,1), f2 (1,0), f3 (1,0), f4 (0.6,0.8).
    // f1: one entry → 0.            f2: Σ (1,1), t = 1, 1 (tie) → 0.
    // f3: Σ (2,1), t = 1, 2, 2 → 1/3.
    // f4: f1 evicted, Σ (2.6,0.8), t = 2.6, 2.6, 2.2 → 0 (outlier).
    const frames = [[0, 1], [1, 0], [1, 0], [0.6, 0.8]];
    const windowOfThree = run(createOutlierDetector({ warmup: 1, windowSize: 3 }), frames);
    expect(windowOfThree.map((v) => v.percentile)).toEqual([0, 0, 1 / 3, 0]);
    expect(windowOfThree.map((v) => v.isOutlier)).toEqual([true, true, false, true]);
    // Without eviction f4 sees Σ (2.6,1.8), t = 1.8, 2.6, 2.6, 3.0 → 3/4, not an outlier.
    const windowOfFour = run(createOutlierDetector({ warmup: 1, windowSize: 4 }), frames);
    expect(windowOfFour[3]!.percentile).toBe(0.75);
    expect(windowOfFour[3]!.isOutlier).toBe(false);
  });

  it('keeps a window of 32 for long streams and agrees with a from-scratch computation', () => {
    const dimension = 16;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    const frames = Array.from({ length: 2100 }, () => Array.from({ length: dimension }, random));
    const detector = createOutlierDetector({ warmup: 3, windowSize: 32 });
    const verdicts = run(detector, frames);
    const unit = frames.map((f) => {
      const stored = Float32Array.from(f.map((x) => x / Math.hypot(...f)));
      return Array.from(stored);
    });
    for (const index of [2, 31, 32, 33, 1500, 2099]) {
      const window = unit.slice(Math.max(0, index - 31), index + 1);
      const total = window[0]!.map((_, j) => window.reduce((acc, e) => acc + e[j]!, 0));
      const t = window.map((e) => e.reduce((acc, x, j) => acc + x * total[j]!, 0));
      const current = t[t.length - 1]!;
      const expected = t.filter((value) => value < current - 1e-12).length / t.length;
      expect(verdicts[index]!.percentile, `frame ${index}`).toBe(expected);
    }
  });

  it("ranks ties strictly (Roboflow): a window of identical embeddings gives percentile 0, an outlier", () => {
    const verdicts = run(createOutlierDetector(defaults), [[1, 2], [1, 2], [1, 2], [2, 4]]);
    expect(verdicts.slice(2).map((v) => [v.percentile, v.isOutlier])).toEqual([
      [0, true],
      [0, true],
    ]);
  });

  it("with tail 'low' ranks ties at mid-rank, so repeated frames are typical", () => {
    const verdicts = run(createOutlierDetector({ ...defaults, tail: 'low' }), [[1, 2], [1, 2], [1, 2], [1, 2]]);
    // Frame 3: 0 below, 2 others equal → (0 + ½·2)/3; frame 4: (0 + ½·3)/4.
    expect(verdicts[2]!.percentile).toBeCloseTo(1 / 3, 12);
    expect(verdicts[3]!.percentile).toBeCloseTo(3 / 8, 12);
    expect(verdicts.every((v) => !v.isOutlier)).toBe(true);
  });

  it("flags the most typical frame with tail 'both' but not with tail 'low'", () => {
    // warmup 4, window 4: (1,0), (0,1), (0.6,0.8), then (s,s), the closest to the mean direction.
    // Σ = (1.6+s, 1.8+s); t ≈ 2.307, 2.507, 3.390, 3.404 → (s,s) ranks 3 of 4 → 0.75 > 1 − 0.3.
    const frames = [[1, 0], [0, 1], [0.6, 0.8], [s, s]];
    const both = run(createOutlierDetector({ warmup: 4, windowSize: 4 }), frames, 0.3);
    const low = run(createOutlierDetector({ warmup: 4, windowSize: 4, tail: 'low' }), frames, 0.3);
    expect(both[3]).toEqual({ isOutlier: true, percentile: 0.75, warmingUp: false });
    expect(low[3]).toEqual({ isOutlier: false, percentile: 0.75, warmingUp: false });
  });

  it("with baseline 'frozen' ranks later frames against the warm-up window, which stops moving", () => {
    // Reference: (1,0), (0,1), (s,s); scaled t = 1+s, 1+s, 2s(1+s) ≈ 1.707, 1.707, 2.414.
    const detector = createOutlierDetector({ ...defaults, baseline: 'frozen' });
    const verdicts = run(detector, [[1, 0], [0, 1], [s, s], [1, 0], [1, 1], [-1, 0], [0.6, 0.8]]);
    expect(verdicts[2]!.percentile).toBeCloseTo(2 / 3, 12); // the first verdict is ranked as in a sliding window
    expect(verdicts[3]!.percentile).toBe(0); // ties with two reference entries, strictly below none
    expect(verdicts[4]!.percentile).toBeCloseTo(2 / 3, 12);
    expect(verdicts[5]).toEqual({ isOutlier: true, percentile: 0, warmingUp: false });
    expect(verdicts[6]!.percentile).toBeCloseTo(2 / 3, 12); // t = 1.4(1+s) ≈ 2.39 < 2.414
  });

  it("frozen + low keeps flagging a lasting change that a sliding window absorbs", () => {
    const warm = [[1, 0], [0.8, 0.6], [0.6, 0.8]];
    const changed = Array.from({ length: 6 }, () => [-1, 0.1]);
    const sliding = run(createOutlierDetector({ warmup: 3, windowSize: 3, tail: 'low' }), [...warm, ...changed]);
    const frozen = run(createOutlierDetector({ warmup: 3, windowSize: 3, tail: 'low', baseline: 'frozen' }), [...warm, ...changed]);
    expect(sliding.slice(3).map((v) => v.isOutlier)).toEqual([true, false, false, false, false, false]);
    expect(frozen.slice(3).map((v) => v.isOutlier)).toEqual([true, true, true, true, true, true]);
    // With a frozen reference a frame can rank above every reference entry: percentile 1.
    const frozenBoth = createOutlierDetector({ warmup: 3, windowSize: 3, baseline: 'frozen' });
    run(frozenBoth, warm);
    expect(frozenBoth.update(Float32Array.from([0.8, 0.6]), 0.05).percentile).toBeCloseTo(2 / 3, 12);
  });

  it('a later frame equal to a reference frame ties with it exactly (2048-d)', () => {
    let seed = 5;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.3;
    const frames = Array.from({ length: 16 }, () => Float32Array.from({ length: 2048 }, random));
    const detector = createOutlierDetector({ warmup: 16, windowSize: 32, tail: 'low', baseline: 'frozen' });
    frames.forEach((frame) => detector.update(frame, 0.05));
    const again = frames.map((frame) => detector.update(frame, 0.05).percentile);
    // Each equals one reference entry: (less + ½) / 16, so the percentiles are (2k + 1)/32, each once.
    expect(again.map((p) => p * 32).sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, k) => 2 * k + 1));
  });

  it('grows without limit when windowSize is null', () => {
    const detector = createOutlierDetector({ warmup: 1, windowSize: null });
    // (0,1) then 149 × (1,0): with no limit the first frame stays, Σ = (149, 1), and the last frame
    // ranks above it: 1/150. A window of 32 holds only (1,0) ties → 0.
    const frames = [[0, 1], ...Array.from({ length: 149 }, () => [1, 0])];
    expect(run(detector, frames)[149]!.percentile).toBe(1 / 150);
    expect(run(createOutlierDetector({ warmup: 1, windowSize: 32 }), frames)[149]!.percentile).toBe(0);
  });

  it('forgets everything on reset, including the dimension', () => {
    const detector = createOutlierDetector(defaults);
    run(detector, [[1, 0], [0, 1], [1, 1]]);
    detector.reset();
    expect(detector.samples).toBe(0);
    expect(detector.update(Float32Array.from([1, 0, 0]), 0.05).warmingUp).toBe(true);
    expect(detector.dimension).toBe(3);
  });
});

describe('identify outliers input errors', () => {
  it('rejects a dimension change mid-stream, naming both dimensions', () => {
    const detector = createOutlierDetector({ ...defaults, stepName: 'outliers' });
    detector.update(new Float32Array(2048).fill(1), 0.05);
    expect(() => detector.update(new Float32Array(512).fill(1), 0.05)).toThrow(/dimension 512 but this stream's state holds 2048-dimensional/);
  });

  it('rejects NaN and infinite entries with their index', () => {
    const detector = createOutlierDetector(defaults);
    const withNaN = new Float32Array(8).fill(0.5);
    withNaN[5] = Number.NaN;
    expect(() => detector.update(withNaN, 0.05)).toThrow(/NaN at index 5 \(of 8\)/);
    expect(() => detector.update([1, Number.POSITIVE_INFINITY], 0.05)).toThrow(/Infinity at index 1/);
    expect(detector.samples).toBe(0);
  });

  it('rejects a zero vector (it has no direction)', () => {
    const detector = createOutlierDetector(defaults);
    expect(() => detector.update(new Float32Array(4), 0.05)).toThrow(/zero vector/);
    try {
      detector.update(new Float32Array(4), 0.05);
    } catch (error) {
      expect((error as Error).name).toBe('VAD_InvalidInputError');
      expect((error as { property?: string }).property).toBe('embedding');
    }
  });

  it('rejects values that are not embeddings', () => {
    const detector = createOutlierDetector(defaults);
    expect(() => detector.update('0.1, 0.2', 0.05)).toThrow(/expected an embedding .* got a string/);
    expect(() => detector.update([], 0.05)).toThrow(/empty/);
    expect(() => detector.update(new Uint8Array(3), 0.05)).toThrow(/got a Uint8Array/);
  });

  it('handles finite entries whose squares overflow', () => {
    const detector = createOutlierDetector({ warmup: 1, windowSize: 4 });
    expect(() => detector.update(Float64Array.from([1e200, 1e200]), 0.05)).not.toThrow();
  });
});
