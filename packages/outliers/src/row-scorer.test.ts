import { describe, expect, it } from 'vitest';
import { createRowScorer } from './row-scorer.js';
import { createOutlierDetector } from './outlier-detector.js';

function fill(array: Float64Array, seed: number) {
  let state = seed;
  for (let i = 0; i < array.length; i++) array[i] = ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
}

describe('row scorer', () => {
  it.each([
    [5, 13],
    [32, 2048],
    [3, 3],
  ])('WebAssembly and JavaScript compute the same products (%d rows of %d)', (rows, dimension) => {
    const wasm = createRowScorer(rows, dimension);
    const javascript = createRowScorer(rows, dimension, { engine: 'javascript' });
    expect(wasm.engine).toBe('wasm');
    expect(javascript.engine).toBe('javascript');
    for (const scorer of [wasm, javascript]) {
      fill(scorer.rows, 1);
      fill(scorer.direction, 2);
      fill(scorer.other, 3);
    }
    for (const against of ['direction', 'other'] as const) {
      wasm.score(rows, against);
      javascript.score(rows, against);
      const vector = against === 'direction' ? wasm.direction : wasm.other;
      for (let k = 0; k < rows; k++) {
        let expected = 0;
        for (let j = 0; j < dimension; j++) expected += wasm.rows[k * dimension + j]! * vector[j]!;
        expect(wasm.scores[k]).toBeCloseTo(expected, 10);
        expect(javascript.scores[k]).toBeCloseTo(expected, 10);
      }
    }
  });

  it('gives the detector the same verdicts on either engine', () => {
    const frames = Array.from({ length: 300 }, (_, i) => Float32Array.from({ length: 64 }, (_, j) => Math.sin(i * 0.37 + j) + (i % 23 === 0 ? 3 * Math.cos(j) : 0)));
    const wasm = createOutlierDetector({ warmup: 3, windowSize: 32 });
    const javascript = createOutlierDetector({ warmup: 3, windowSize: 32, engine: 'javascript' });
    const verdicts = frames.map((frame) => [wasm.update(frame, 0.05), javascript.update(frame, 0.05)] as const);
    expect(wasm.engine).toBe('wasm');
    expect(javascript.engine).toBe('javascript');
    expect(verdicts.filter(([a]) => a.isOutlier).length).toBeGreaterThan(0);
    for (const [a, b] of verdicts) expect(a).toEqual(b);
  });
});
