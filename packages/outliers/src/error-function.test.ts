import { describe, expect, it } from 'vitest';
import { erf } from './error-function.js';

describe('erf', () => {
  // Reference values from Python's math.erf.
  const reference: Array<[number, number]> = [
    [0, 0],
    [0.1, 0.1124629160182849],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [1.5, 0.9661051464753108],
    [2, 0.9953222650189527],
    [2.4999, 0.9995928300996666],
    [2.5, 0.999593047982555],
    [3, 0.9999779095030014],
    [4, 0.9999999845827421],
    [6, 1],
    [-1.3, -0.9340079449406524],
  ];
  it.each(reference)('erf(%d) matches math.erf to 1e-14', (x, expected) => {
    expect(Math.abs(erf(x) - expected)).toBeLessThan(1e-14);
  });
  it('handles infinities and NaN', () => {
    expect(erf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(erf(Number.NEGATIVE_INFINITY)).toBe(-1);
    expect(erf(Number.NaN)).toBeNaN();
  });
});
