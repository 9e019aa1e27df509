import type { Corners } from './box-iou.js';
import { invertSymmetric4 } from './kalman-filter.js';

/**
 * OC-SORT's (and SORT's) constant-velocity Kalman filter, as the trackers package configures it
 * for OC-SORT: the state is (x, y, s, r, vx, vy, vs) — box centre, area, aspect ratio (width /
 * height, held constant) and the velocities of centre and area — and the measurement (x, y, s, r).
 *
 * A file of its own because ByteTrack's filter (kalman-filter.ts) is a different model: its state
 * is (cx, cy, a, h) with four velocities, and its noise scales with the box height, where this one
 * has fixed noise: P₀ = diag(10, 10, 10, 10, 10⁴, 10⁴, 10⁴), Q = diag(1, 1, 1, 1, 0.01, 0.01,
 * 10⁻⁴), R = diag(1, 1, 10, 10) (filterpy's identities scaled as OC-SORT's paper tunes them).
 * OC-SORT's re-update replays observations through this model, so the two cannot share a state.
 * The 4×4 inverse is kalman-filter.ts's.
 */
export interface OcSortKalmanState {
  /** (x, y, s, r, vx, vy, vs). */
  readonly mean: Float64Array;
  /** Row-major 7×7. */
  readonly covariance: Float64Array;
}

const dimension = 7;
const processNoise = [1, 1, 1, 1, 0.01, 0.01, 0.0001];
const measurementNoise = [1, 1, 10, 10];

/** (x, y, s, r) of a box: centre, area, width / (height + 10⁻⁶), as the trackers package converts. */
export function boxToObservation(corners: Corners): [number, number, number, number] {
  const width = corners[2] - corners[0];
  const height = corners[3] - corners[1];
  return [corners[0] + width / 2, corners[1] + height / 2, width * height, width / (height + 1e-6)];
}

/** Corners of (x, y, s, r): width √(s·r), height s / width (NaN when s·r < 0, as numpy gives). */
export function observationToBox(observation: ArrayLike<number>): Corners {
  const width = Math.sqrt(observation[2]! * observation[3]!);
  const height = observation[2]! / width;
  return [observation[0]! - width / 2, observation[1]! - height / 2, observation[0]! + width / 2, observation[1]! + height / 2];
}

/** The state from a first box: velocities zero and very uncertain. */
export function initiateOcSortState(corners: Corners): OcSortKalmanState {
  const mean = new Float64Array(dimension);
  mean.set(boxToObservation(corners));
  const covariance = new Float64Array(dimension * dimension);
  for (let i = 0; i < dimension; i++) covariance[i * (dimension + 1)] = i < 4 ? 10 : 10_000;
  return { mean, covariance };
}

/**
 * One frame ahead: x += vx, y += vy, s += vs; covariance F·P·Fᵀ + Q. As the trackers package, an
 * area velocity that would make the area non-positive is zeroed first.
 */
export function predictOcSortState(state: OcSortKalmanState): OcSortKalmanState {
  const mean = Float64Array.from(state.mean);
  if (mean[6]! + mean[2]! <= 0) mean[6] = 0;
  for (let i = 0; i < 3; i++) mean[i]! += mean[i + 4]!;
  const p = state.covariance;
  // F = I + E with E[i][i+4] = 1 for i < 3: (F P)[i][j] = P[i][j] + P[i+4][j] for i < 3, then
  // (F P Fᵀ)[i][j] = FP[i][j] + FP[i][j+4] for j < 3.
  const fp = Float64Array.from(p);
  for (let i = 0; i < 3; i++) for (let j = 0; j < dimension; j++) fp[i * dimension + j]! += p[(i + 4) * dimension + j]!;
  const covariance = Float64Array.from(fp);
  for (let i = 0; i < dimension; i++) for (let j = 0; j < 3; j++) covariance[i * dimension + j]! += fp[i * dimension + j + 4]!;
  for (let i = 0; i < dimension; i++) covariance[i * (dimension + 1)]! += processNoise[i]!;
  return { mean, covariance };
}

/** The correction by an observation (x, y, s, r). */
export function updateOcSortState(state: OcSortKalmanState, observation: ArrayLike<number>): OcSortKalmanState {
  const { mean: m, covariance: p } = state;
  // S = H P Hᵀ + R: P's top-left 4×4 block plus R.
  const s = new Float64Array(16);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) s[i * 4 + j] = p[i * dimension + j]!;
  for (let i = 0; i < 4; i++) s[i * 5]! += measurementNoise[i]!;
  const sInverse = invertSymmetric4(s);
  // K = P Hᵀ S⁻¹ (7×4); P Hᵀ is P's first four columns.
  const gain = new Float64Array(dimension * 4);
  for (let i = 0; i < dimension; i++) {
    for (let j = 0; j < 4; j++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += p[i * dimension + k]! * sInverse[k * 4 + j]!;
      gain[i * 4 + j] = sum;
    }
  }
  const innovation = [0, 1, 2, 3].map((i) => observation[i]! - m[i]!);
  const mean = Float64Array.from(m);
  for (let i = 0; i < dimension; i++) for (let k = 0; k < 4; k++) mean[i]! += gain[i * 4 + k]! * innovation[k]!;
  // P − K S Kᵀ = P − (P Hᵀ) Kᵀ (filterpy's Joseph form equals it for this optimal gain).
  const covariance = Float64Array.from(p);
  for (let i = 0; i < dimension; i++) {
    for (let j = 0; j < dimension; j++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += p[i * dimension + k]! * gain[j * 4 + k]!;
      covariance[i * dimension + j]! -= sum;
    }
  }
  return { mean, covariance };
}
