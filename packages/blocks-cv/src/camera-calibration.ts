import type { VadImage } from '@vad/core';
import type { ModelSession } from '@vad/models';
import { imageLike } from './pixels.js';
import { buildUndistortModel } from './undistort-graph.js';

/** A pinhole camera and OpenCV's five distortion coefficients (k1, k2, p1, p2, k3). */
export interface LensModel {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  k1: number;
  k2: number;
  k3: number;
  p1: number;
  p2: number;
}

export interface CameraMatrix {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
}

/** Where the lens model sends the normalised ray (x, y): OpenCV's distortion. */
export function distortPoint(lens: LensModel, x: number, y: number): [number, number] {
  const r2 = x * x + y * y;
  const radial = 1 + r2 * (lens.k1 + r2 * (lens.k2 + r2 * lens.k3));
  return [x * radial + 2 * lens.p1 * x * y + lens.p2 * (r2 + 2 * x * x), y * radial + lens.p1 * (r2 + 2 * y * y) + 2 * lens.p2 * x * y];
}

/** OpenCV's `undistortPoints` for one pixel, without a new camera: its normalised ray, by OpenCV's 5 fixed-point iterations. */
export function undistortPixel(lens: LensModel, u: number, v: number): [number, number] {
  const x0 = (u - lens.cx) / lens.fx, y0 = (v - lens.cy) / lens.fy;
  let x = x0, y = y0;
  for (let iteration = 0; iteration < 5; iteration++) {
    const r2 = x * x + y * y;
    const inverse = 1 / (1 + r2 * (lens.k1 + r2 * (lens.k2 + r2 * lens.k3)));
    if (inverse < 0) return [x0, y0];
    const deltaX = 2 * lens.p1 * x * y + lens.p2 * (r2 + 2 * x * x);
    const deltaY = lens.p1 * (r2 + 2 * y * y) + 2 * lens.p2 * x * y;
    x = (x0 - deltaX) * inverse;
    y = (y0 - deltaY) * inverse;
  }
  return [x, y];
}

/**
 * OpenCV's `getOptimalNewCameraMatrix(K, D, (w, h), alpha, (w, h))`: a 9 × 9 grid of the image's
 * pixels is undistorted; the camera that maps the grid's inscribed rectangle onto the image
 * (alpha 0: no black border) and the one that maps its bounding rectangle (alpha 1: every source
 * pixel kept) are blended by alpha.
 */
export function optimalNewCameraMatrix(lens: LensModel, width: number, height: number, alpha = 1): CameraMatrix {
  const N = 9;
  let innerX0 = -Infinity, innerX1 = Infinity, innerY0 = -Infinity, innerY1 = Infinity;
  let outerX0 = Infinity, outerX1 = -Infinity, outerY0 = Infinity, outerY1 = -Infinity;
  for (let row = 0; row < N; row++) {
    for (let column = 0; column < N; column++) {
      const [x, y] = undistortPixel(lens, (column * (width - 1)) / (N - 1), (row * (height - 1)) / (N - 1));
      outerX0 = Math.min(outerX0, x);
      outerX1 = Math.max(outerX1, x);
      outerY0 = Math.min(outerY0, y);
      outerY1 = Math.max(outerY1, y);
      if (column === 0) innerX0 = Math.max(innerX0, x);
      if (column === N - 1) innerX1 = Math.min(innerX1, x);
      if (row === 0) innerY0 = Math.max(innerY0, y);
      if (row === N - 1) innerY1 = Math.min(innerY1, y);
    }
  }
  const fit = (x0: number, x1: number, y0: number, y1: number): CameraMatrix => {
    const fx = (width - 1) / (x1 - x0), fy = (height - 1) / (y1 - y0);
    return { fx, fy, cx: -fx * x0, cy: -fy * y0 };
  };
  const inner = fit(innerX0, innerX1, innerY0, innerY1);
  const outer = fit(outerX0, outerX1, outerY0, outerY1);
  const blend = (a: number, b: number) => a * (1 - alpha) + b * alpha;
  return { fx: blend(inner.fx, outer.fx), fy: blend(inner.fy, outer.fy), cx: blend(inner.cx, outer.cx), cy: blend(inner.cy, outer.cy) };
}

let session: Promise<ModelSession> | undefined;

/**
 * Roboflow's camera calibration: `undistort(image, K, D, getOptimalNewCameraMatrix(K, D, alpha=1))`,
 * the whole source kept in the output (black where no source pixel lands), same size. The map and
 * the bilinear resampling run in one ONNX graph (undistort-graph.ts).
 */
export async function undistortImage(image: VadImage, lens: LensModel): Promise<VadImage> {
  session ??= import('@vad/models').then(({ createSessionFromBytes }) => createSessionFromBytes(buildUndistortModel(), { name: 'lens undistortion graph' }));
  const { width, height } = image;
  const target = optimalNewCameraMatrix(lens, width, height, 1);
  const camera = Float32Array.from([target.fx, target.fy, target.cx, target.cy, lens.fx, lens.fy, lens.cx, lens.cy, lens.k1, lens.k2, lens.p1, lens.p2, lens.k3]);
  const { data } = await image.pixels();
  const { undistorted } = await (await session).run({
    image: { data, dims: [height, width, 3] },
    camera: { data: camera, dims: [camera.length] },
    xs: { data: Float32Array.from({ length: width }, (_, i) => i), dims: [width] },
    ys: { data: Float32Array.from({ length: height }, (_, i) => i), dims: [height] },
  });
  return imageLike(image, undistorted!.data as Uint8Array);
}
