/**
 * ByteTrack's constant-velocity Kalman filter over a box's centre, aspect ratio (width / height)
 * and height: the state is (cx, cy, a, h, vcx, vcy, va, vh) and the measurement (cx, cy, a, h).
 * Process and measurement noise scale with the box height, with the weights of ByteTrack (and
 * supervision): 1/20 for positions, 1/160 for velocities. The matrices are 8×8 and 4×4, so plain
 * loops over Float64Arrays suit them better than any library.
 */

/** Mean (8) and row-major covariance (8×8) of a track's state. */
export interface KalmanState {
  readonly mean: Float64Array;
  readonly covariance: Float64Array;
}

const positionWeight = 1 / 20;
const velocityWeight = 1 / 160;

/** A state from a first measurement (cx, cy, a, h): velocities zero, uncertain in proportion to the height. */
export function initiateState(measurement: ArrayLike<number>): KalmanState {
  const mean = new Float64Array(8);
  for (let i = 0; i < 4; i++) mean[i] = measurement[i]!;
  const h = measurement[3]!;
  const deviations = [2 * positionWeight * h, 2 * positionWeight * h, 1e-2, 2 * positionWeight * h, 10 * velocityWeight * h, 10 * velocityWeight * h, 1e-5, 10 * velocityWeight * h];
  const covariance = new Float64Array(64);
  for (let i = 0; i < 8; i++) covariance[i * 9] = deviations[i]! ** 2;
  return { mean, covariance };
}

/** One step ahead: position += velocity; covariance F·P·Fᵀ + Q. */
export function predictState(state: KalmanState): KalmanState {
  const { mean: m, covariance: p } = state;
  const mean = Float64Array.from(m);
  for (let i = 0; i < 4; i++) mean[i]! += m[i + 4]!;
  const h = m[3]!;
  const noise = [positionWeight * h, positionWeight * h, 1e-2, positionWeight * h, velocityWeight * h, velocityWeight * h, 1e-5, velocityWeight * h];
  // F = [[I, I], [0, I]]: (F P)[i][j] = P[i][j] + P[i+4][j] for i < 4; then (F P Fᵀ)[i][j] = FP[i][j] + FP[i][j+4] for j < 4.
  const fp = Float64Array.from(p);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 8; j++) fp[i * 8 + j]! += p[(i + 4) * 8 + j]!;
  const covariance = Float64Array.from(fp);
  for (let i = 0; i < 8; i++) for (let j = 0; j < 4; j++) covariance[i * 8 + j]! += fp[i * 8 + j + 4]!;
  for (let i = 0; i < 8; i++) covariance[i * 9]! += noise[i]! ** 2;
  return { mean, covariance };
}

/** The correction by a measurement (cx, cy, a, h). */
export function updateState(state: KalmanState, measurement: ArrayLike<number>): KalmanState {
  const { mean: m, covariance: p } = state;
  const h = m[3]!;
  const measurementNoise = [positionWeight * h, positionWeight * h, 1e-1, positionWeight * h];
  // S = H P Hᵀ + R is P's top-left 4×4 block plus R.
  const s = new Float64Array(16);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) s[i * 4 + j] = p[i * 8 + j]!;
  for (let i = 0; i < 4; i++) s[i * 5]! += measurementNoise[i]! ** 2;
  const sInverse = invertSymmetric4(s);
  // K = P Hᵀ S⁻¹ (8×4); P Hᵀ is P's first four columns.
  const gain = new Float64Array(32);
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < 4; j++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += p[i * 8 + k]! * sInverse[k * 4 + j]!;
      gain[i * 4 + j] = sum;
    }
  }
  const innovation = [0, 1, 2, 3].map((i) => measurement[i]! - m[i]!);
  const mean = Float64Array.from(m);
  for (let i = 0; i < 8; i++) for (let k = 0; k < 4; k++) mean[i]! += gain[i * 4 + k]! * innovation[k]!;
  // P − K S Kᵀ, and K S = P Hᵀ, so K S Kᵀ = (P Hᵀ) Kᵀ.
  const covariance = Float64Array.from(p);
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < 8; j++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += p[i * 8 + k]! * gain[j * 4 + k]!;
      covariance[i * 8 + j]! -= sum;
    }
  }
  return { mean, covariance };
}

/** Inverse of a symmetric positive definite 4×4 matrix (row-major), by Cholesky factorisation. */
export function invertSymmetric4(a: Float64Array): Float64Array {
  const l = new Float64Array(16);
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * 4 + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * 4 + k]! * l[j * 4 + k]!;
      if (i === j) {
        if (!(sum > 0)) throw new RangeError('the innovation covariance is not positive definite (a box of zero or negative height?)');
        l[i * 4 + i] = Math.sqrt(sum);
      } else {
        l[i * 4 + j] = sum / l[j * 4 + j]!;
      }
    }
  }
  // Solve L Lᵀ X = I column by column.
  const inverse = new Float64Array(16);
  const y = new Float64Array(4);
  for (let column = 0; column < 4; column++) {
    for (let i = 0; i < 4; i++) {
      let sum = i === column ? 1 : 0;
      for (let k = 0; k < i; k++) sum -= l[i * 4 + k]! * y[k]!;
      y[i] = sum / l[i * 4 + i]!;
    }
    for (let i = 3; i >= 0; i--) {
      let sum = y[i]!;
      for (let k = i + 1; k < 4; k++) sum -= l[k * 4 + i]! * inverse[k * 4 + column]!;
      inverse[i * 4 + column] = sum / l[i * 4 + i]!;
    }
  }
  return inverse;
}

/** (cx, cy, a, h) of corners x1, y1, x2, y2. */
export function cornersToMeasurement(x1: number, y1: number, x2: number, y2: number): [number, number, number, number] {
  const width = x2 - x1;
  const height = y2 - y1;
  return [x1 + width / 2, y1 + height / 2, width / height, height];
}

/** Corners x1, y1, x2, y2 of a state's box. */
export function stateToCorners(mean: ArrayLike<number>): [number, number, number, number] {
  const height = mean[3]!;
  const width = mean[2]! * height;
  const x1 = mean[0]! - width / 2;
  const y1 = mean[1]! - height / 2;
  return [x1, y1, x1 + width, y1 + height];
}
