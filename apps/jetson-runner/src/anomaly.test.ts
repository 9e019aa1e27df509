import { describe, expect, it } from 'vitest';
import { isAnomalous } from './anomaly.js';
import { backoffDelay } from './sources/ffmpeg-source.js';

describe('isAnomalous', () => {
  it('reads booleans, numbers against a threshold, detections and dotted paths', () => {
    expect(isAnomalous({ is_outlier: true }, { output: 'is_outlier' })).toBe(true);
    expect(isAnomalous({ is_outlier: false }, { output: 'is_outlier' })).toBe(false);
    expect(isAnomalous({ score: 0.69 }, { output: 'score', threshold: 0.7 })).toBe(false);
    expect(isAnomalous({ score: 0.7 }, { output: 'score', threshold: 0.7 })).toBe(true);
    expect(isAnomalous({ defects: 2 }, { output: 'defects' })).toBe(true);
    expect(isAnomalous({ defects: 0 }, { output: 'defects' })).toBe(false);
    expect(isAnomalous({ boxes: { image: { width: 1, height: 1 }, predictions: [] } }, { output: 'boxes' })).toBe(false);
    expect(isAnomalous({ result: { patchcore: { is_anomalous: true } } }, { output: 'result.patchcore.is_anomalous' })).toBe(true);
    expect(isAnomalous({ result: null }, { output: 'result.flag' })).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1000, maxAttempts: 0 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, options))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});
