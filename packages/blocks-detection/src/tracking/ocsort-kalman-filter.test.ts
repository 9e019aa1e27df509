import { describe, expect, it } from 'vitest';
import { boxToObservation, initiateOcSortState, observationToBox, predictOcSortState, updateOcSortState } from './ocsort-kalman-filter.js';
import { add, diagonal, identity, inverse, multiply, toRows, transpose } from '../../test/dense-matrix.js';

/** Dense reference: filterpy's equations (Joseph-form covariance update) with explicit F, H, Q, R. */
describe('OC-SORT Kalman filter (x, y, s, r, vx, vy, vs)', () => {
  // The trackers package's XCYCSR model: x += vx, y += vy, s += vs, r constant.
  const F = Array.from({ length: 7 }, (_, i) => Array.from({ length: 7 }, (_, j) => (i === j || (i < 3 && j === i + 4) ? 1 : 0)));
  const H = Array.from({ length: 4 }, (_, i) => Array.from({ length: 7 }, (_, j) => (i === j ? 1 : 0)));
  // filterpy's identities, scaled as OC-SORT configures them.
  const Q = diagonal([1, 1, 1, 1, 0.01, 0.01, 0.0001]);
  const R = diagonal([1, 1, 10, 10]);

  it('starts from the box with P₀ = diag(10, 10, 10, 10, 10⁴, 10⁴, 10⁴)', () => {
    const state = initiateOcSortState([100, 50, 140, 130]);
    expect([...state.mean.slice(0, 4)].map((v) => +v.toFixed(6))).toEqual([120, 90, 3200, +(40 / (80 + 1e-6)).toFixed(6)]);
    expect([...state.mean.slice(4)]).toEqual([0, 0, 0]);
    expect(toRows(state.covariance, 7)).toEqual(diagonal([10, 10, 10, 10, 10_000, 10_000, 10_000]));
  });

  it('predicts and updates as filterpy’s dense equations do', () => {
    let state = initiateOcSortState([100, 50, 140, 130]);
    const boxes = [
      [104, 52, 144, 133],
      [109, 55, 150, 135],
      [113, 57, 156, 138],
    ] as const;
    for (const box of boxes) {
      const x = [...state.mean].map((v) => [v]);
      const P = toRows(state.covariance, 7);
      const xPredicted = multiply(F, x);
      const pPredicted = add(multiply(multiply(F, P), transpose(F)), Q);
      const predicted = predictOcSortState(state);
      expect([...predicted.mean]).toEqual(xPredicted.map((row) => expect.closeTo(row[0]!, 9)));
      toRows(predicted.covariance, 7).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(pPredicted[i]![j]!, 6)));

      const z = boxToObservation(box).map((v) => [v]);
      const S = add(multiply(multiply(H, pPredicted), transpose(H)), R);
      const K = multiply(multiply(pPredicted, transpose(H)), inverse(S));
      const xUpdated = add(xPredicted, multiply(K, add(z, multiply(H, xPredicted), -1)));
      const IKH = add(identity(7), multiply(K, H), -1);
      const pUpdated = add(multiply(multiply(IKH, pPredicted), transpose(IKH)), multiply(multiply(K, R), transpose(K)));
      state = updateOcSortState(predicted, boxToObservation(box));
      [...state.mean].forEach((v, i) => expect(v).toBeCloseTo(xUpdated[i]![0]!, 6));
      toRows(state.covariance, 7).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(pUpdated[i]![j]!, 5)));
    }
    // Three boxes moving right by ~4.5 px a frame: the velocity estimate points right and down.
    expect(state.mean[4]).toBeGreaterThan(2);
    expect(state.mean[5]).toBeGreaterThan(0.5);
  });

  it('zeroes an area velocity that would make the area non-positive, and converts boxes both ways', () => {
    const state = initiateOcSortState([0, 0, 10, 10]);
    const mean = Float64Array.from(state.mean);
    mean[6] = -200;
    const predicted = predictOcSortState({ mean, covariance: state.covariance });
    expect(predicted.mean[2]).toBeCloseTo(100, 6);
    expect(predicted.mean[6]).toBe(0);
    const corners = observationToBox(boxToObservation([10, 20, 50, 100]));
    corners.forEach((v, i) => expect(v).toBeCloseTo([10, 20, 50, 100][i]!, 4));
  });
});
