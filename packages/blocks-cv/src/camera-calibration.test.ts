import { VadImage } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { distortPoint, optimalNewCameraMatrix, undistortImage, undistortPixel, type LensModel } from './camera-calibration.js';
import { noiseImage } from './test-images.js';

const pinhole = { fx: 300, fy: 280, cx: 160, cy: 118, k1: 0, k2: 0, k3: 0, p1: 0, p2: 0 } satisfies LensModel;
const barrel = { ...pinhole, k1: -0.25, k2: 0.05, k3: 0, p1: 0.002, p2: -0.001 } satisfies LensModel;

describe('camera calibration (OpenCV undistort with getOptimalNewCameraMatrix, alpha 1)', () => {
  it('keeps the camera and every pixel when there is no distortion', async () => {
    const matrix = optimalNewCameraMatrix(pinhole, 320, 240);
    expect(matrix.fx).toBeCloseTo(300, 9);
    expect(matrix.fy).toBeCloseTo(280, 9);
    expect(matrix.cx).toBeCloseTo(160, 9);
    expect(matrix.cy).toBeCloseTo(118, 9);
    const image = noiseImage(320, 240, 4);
    const out = await undistortImage(image, pinhole);
    expect([out.width, out.height]).toEqual([320, 240]);
    expect(Buffer.from((await out.pixels()).data).equals(Buffer.from((await image.pixels()).data))).toBe(true);
  });

  it('undistortPixel inverts the lens model', () => {
    for (const [x, y] of [[0.1, -0.05], [-0.3, 0.2], [0.45, 0.38]] as const) {
      const [xd, yd] = distortPoint(barrel, x, y);
      const [ux, uy] = undistortPixel(barrel, barrel.fx * xd + barrel.cx, barrel.fy * yd + barrel.cy);
      // OpenCV's 5 fixed-point iterations: close, not exact, at the image's corners.
      expect(Math.hypot(ux - x, uy - y) * barrel.fx).toBeLessThan(0.5);
    }
  });

  it('alpha 1 keeps the whole source: the bounding box of the undistorted border spans the output', () => {
    const matrix = optimalNewCameraMatrix(barrel, 320, 240);
    // Barrel distortion squeezed the corners; undoing it pushes them out, so the new focal length is shorter.
    expect(matrix.fx).toBeLessThan(barrel.fx);
    const corners = [[0, 0], [319, 0], [0, 239], [319, 239]].map(([u, v]) => undistortPixel(barrel, u!, v!)).map(([x, y]) => [matrix.fx * x + matrix.cx, matrix.fy * y + matrix.cy]);
    for (const [u, v] of corners) {
      expect(u!).toBeGreaterThanOrEqual(-0.5);
      expect(u!).toBeLessThanOrEqual(319.5);
      expect(v!).toBeGreaterThanOrEqual(-0.5);
      expect(v!).toBeLessThanOrEqual(239.5);
    }
  });

  it('undoes a known distortion: dots drawn where the lens puts a grid come back on the grid within a pixel', async () => {
    const width = 320, height = 240;
    const data = new Uint8Array(width * height * 3);
    const rays: [number, number][] = [];
    for (let row = -3; row <= 3; row++) for (let column = -4; column <= 4; column++) rays.push([column * 0.1, row * 0.1]);
    for (const [x, y] of rays) {
      const [xd, yd] = distortPoint(barrel, x, y);
      const u = Math.round(barrel.fx * xd + barrel.cx), v = Math.round(barrel.fy * yd + barrel.cy);
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) data.fill(255, ((v + dy) * width + u + dx) * 3, ((v + dy) * width + u + dx) * 3 + 3);
    }
    const out = await undistortImage(VadImage.fromPixels({ data, width, height }), barrel);
    const pixels = (await out.pixels()).data;
    const matrix = optimalNewCameraMatrix(barrel, width, height);
    let worst = 0;
    for (const [x, y] of rays) {
      const u = matrix.fx * x + matrix.cx, v = matrix.fy * y + matrix.cy;
      // The dot's brightness-weighted centre near where the ideal camera puts the ray.
      let sum = 0, sumX = 0, sumY = 0;
      for (let py = Math.floor(v) - 4; py <= Math.floor(v) + 4; py++) {
        for (let px = Math.floor(u) - 4; px <= Math.floor(u) + 4; px++) {
          const level = pixels[(py * width + px) * 3]!;
          sum += level;
          sumX += level * px;
          sumY += level * py;
        }
      }
      expect(sum).toBeGreaterThan(0);
      worst = Math.max(worst, Math.hypot(sumX / sum - u, sumY / sum - v));
    }
    expect(worst).toBeLessThan(1);
  });
});
