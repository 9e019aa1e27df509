import { describe, expect, it } from 'vitest';
import { cornersToMeasurement, initiateState, predictState, stateToCorners, updateState } from './kalman-filter.js';
import { add, diagonal, inverse, multiply, toRows, transpose } from '../../test/dense-matrix.js';

/** Dense reference: the textbook equations with explicit F, H, Q, R and a Gauss-Jordan inverse. */
describe('ByteTrack Kalman filter', () => {
  const F = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i === j || j === i + 4 ? 1 : 0)));
  const H = Array.from({ length: 4 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i === j ? 1 : 0)));

  it('predicts and updates as the dense textbook equations do', () => {
    let state = initiateState(cornersToMeasurement(100, 50, 140, 130));
    const measurements = [cornersToMeasurement(104, 52, 144, 133), cornersToMeasurement(109, 55, 148, 135), cornersToMeasurement(113, 57, 153, 138)];
    for (const z of measurements) {
      const h = state.mean[3]!;
      const Q = diagonal([h / 20, h / 20, 1e-2, h / 20, h / 160, h / 160, 1e-5, h / 160].map((v) => v * v));
      const P = toRows(state.covariance, 8);
      const x = [...state.mean].map((v) => [v]);
      const xPredicted = multiply(F, x);
      const pPredicted = add(multiply(multiply(F, P), transpose(F)), Q);
      const predicted = predictState(state);
      predicted.mean.forEach((v, i) => expect(v).toBeCloseTo(xPredicted[i]![0]!, 9));
      toRows(predicted.covariance, 8).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(pPredicted[i]![j]!, 9)));

      const hp = predicted.mean[3]!;
      const R = diagonal([hp / 20, hp / 20, 1e-1, hp / 20].map((v) => v * v));
      const S = add(multiply(multiply(H, pPredicted), transpose(H)), R);
      const K = multiply(multiply(pPredicted, transpose(H)), inverse(S));
      const innovation = add(z.map((v) => [v]), multiply(H, xPredicted), -1);
      const xUpdated = add(xPredicted, multiply(K, innovation));
      const pUpdated = add(pPredicted, multiply(multiply(K, S), transpose(K)), -1);
      state = updateState(predicted, z);
      state.mean.forEach((v, i) => expect(v).toBeCloseTo(xUpdated[i]![0]!, 7));
      toRows(state.covariance, 8).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(pUpdated[i]![j]!, 7)));
    }
    // After three steps of ~4.3 px/frame to the right, the velocity estimate is positive and the box follows.
    expect(state.mean[4]).toBeGreaterThan(1);
    const [x1] = stateToCorners(state.mean);
    expect(x1).toBeGreaterThan(108);
    expect(x1).toBeLessThan(114);
  });

  it('converts corners to (cx, cy, a, h) and back', () => {
    const m = cornersToMeasurement(10, 20, 50, 100);
    expect(m).toEqual([30, 60, 0.5, 80]);
    stateToCorners([...m, 0, 0, 0, 0]).forEach((v, i) => expect(v).toBeCloseTo([10, 20, 50, 100][i]!, 12));
  });
});
