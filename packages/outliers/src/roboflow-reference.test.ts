import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createChangeDetector, type ChangeStrategy } from './change-detector.js';
import { createOutlierDetector } from './outlier-detector.js';

/**
 * Against an independent NumPy rewrite of Roboflow's math (scripts/roboflow-reference.py) on an
 * 80-frame stream of 12-d embeddings with unusual frames and a lasting change of scene.
 */
interface Fixture {
  embeddings: number[][];
  outliers: Array<{ warmup: number; window_size: number | null; threshold: number; results: Array<{ is_outlier: boolean; percentile: number; warming_up: boolean }> }>;
  changes: Array<{
    strategy: ChangeStrategy;
    threshold: number;
    warmup: number;
    smoothing_factor: number;
    window_size: number;
    results: Array<{ is_outlier: boolean; percentile: number; z_score: number; average: number[] | null; std: number[] | null; warming_up: boolean }>;
  }>;
}
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/roboflow-reference.json', import.meta.url), 'utf8')) as Fixture;
const frames = fixture.embeddings.map((e) => Float32Array.from(e));

describe('agreement with a NumPy rewrite of Roboflow', () => {
  it.each(fixture.outliers.map((c) => [c.warmup, c.window_size, c] as const))('identify outliers, warmup %d, window %s', (_w, _s, reference) => {
    const detector = createOutlierDetector({ warmup: reference.warmup, windowSize: reference.window_size });
    const flagged = reference.results.filter((r) => r.is_outlier).length;
    expect(flagged).toBeGreaterThan(0);
    frames.forEach((frame, index) => {
      const verdict = detector.update(frame, reference.threshold);
      const expected = reference.results[index]!;
      expect({ index, ...verdict }).toEqual({ index, isOutlier: expected.is_outlier, percentile: expect.closeTo(expected.percentile, 12), warmingUp: expected.warming_up });
    });
  });

  it.each(fixture.changes.map((c) => [c.strategy, c] as const))('identify changes, %s', (_name, reference) => {
    const detector = createChangeDetector({ strategy: reference.strategy, windowSize: reference.window_size });
    frames.forEach((frame, index) => {
      const verdict = detector.update(frame, { thresholdPercentile: reference.threshold, warmup: reference.warmup, smoothingFactor: reference.smoothing_factor });
      const expected = reference.results[index]!;
      expect({ index, isOutlier: verdict.isOutlier, warmingUp: verdict.warmingUp }).toEqual({ index, isOutlier: expected.is_outlier, warmingUp: expected.warming_up });
      expect(verdict.zScore, `z at frame ${index}`).toBeCloseTo(expected.z_score, 7);
      expect(verdict.percentile, `percentile at frame ${index}`).toBeCloseTo(expected.percentile, 9);
      if (expected.average) expect(Array.from(verdict.average)).toEqual(expected.average.map((value) => expect.closeTo(value, 6)));
      if (expected.std) expect(Array.from(verdict.std)).toEqual(expected.std.map((value) => expect.closeTo(value, 6)));
    });
  });
});
