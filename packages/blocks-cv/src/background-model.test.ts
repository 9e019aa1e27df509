import { VadImage } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { createBackgroundModel } from './background-model.js';
import { createReferenceMog2 } from './mog2-reference.js';

/** Frames of `width × height`: a textured static background, and a `size` square of `color` at `at(frame)` (none when null). */
function squareFrames(count: number, at: (frame: number) => [number, number] | null, { width = 24, height = 16, size = 5, color = [230, 40, 40], noise = 0 } = {}) {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) / 65536;
  return Array.from({ length: count }, (_, frame) => {
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      const base = [40 + 5 * x, 90 + 4 * y, 120];
      data.set(base.map((v) => Math.round(v + (random() - 0.5) * 2 * noise)), (y * width + x) * 3);
    }
    const corner = at(frame);
    if (corner) for (let y = corner[1]; y < corner[1] + size; y++) for (let x = corner[0]; x < corner[0] + size; x++) data.set(color, (y * width + x) * 3);
    return VadImage.fromPixels({ data, width, height });
  });
}

const band = (data: Uint8Array) => Uint8Array.from({ length: data.length / 3 }, (_, i) => data[i * 3]!);

describe('MOG2 background model (ONNX graph)', () => {
  it('gives the same masks as MOG2’s per-pixel loop written out, frame after frame (noise, a moving square, a square that stops)', async () => {
    const frames = squareFrames(70, (n) => (n < 25 ? null : n < 45 ? [(n - 25) % 18, 6] : [10, 3]), { noise: 6 });
    for (const [history, threshold] of [[30, 16], [10, 8], [50, 32]] as const) {
      const model = createBackgroundModel({ history, varThreshold: threshold });
      const reference = createReferenceMog2(history, threshold);
      let differing = 0;
      for (const frame of frames) {
        const mask = await model.apply(frame);
        const expected = reference((await frame.pixels()).data, frame.width, frame.height);
        const got = band(mask.data);
        for (let i = 0; i < got.length; i++) if (got[i] !== expected[i]) differing++;
      }
      expect(differing).toBe(0);
    }
  });

  it('marks a moving square as foreground once the background is learned, and absorbs a square that stays', async () => {
    const width = 24, size = 5;
    // Moving 6 pixels a frame (more than its size: each frame covers fresh background), then staying.
    const moving = (n: number) => ((n - 30) * 6) % 19;
    const frames = squareFrames(60, (n) => (n < 30 ? null : n < 40 ? [moving(n), 6] : [12, 6]));
    const model = createBackgroundModel({ history: 30, varThreshold: 16 });
    const masks: Uint8Array[] = [];
    for (const frame of frames) masks.push(band((await model.apply(frame)).data));
    // First frame: a single new mode per pixel, which the shadow test calls a shadow (as OpenCV's does).
    expect(new Set(masks[0])).toEqual(new Set([127]));
    expect(masks[29]!.every((v) => v === 0)).toBe(true);
    const inSquare = (i: number, x0: number, y0: number) => i % width >= x0 && i % width < x0 + size && Math.floor(i / width) >= y0 && Math.floor(i / width) < y0 + size;
    for (const n of [31, 35, 39]) {
      const x0 = moving(n);
      masks[n]!.forEach((v, i) => expect(v, `frame ${n}, pixel ${i}`).toBe(inSquare(i, x0, 6) ? 255 : 0));
    }
    // Stationary from frame 40: its mode's weight passes the old one's within a few frames (backgroundRatio 0.9).
    expect(masks[40]!.filter((v) => v === 255).length).toBeGreaterThan(0);
    expect(masks[59]!.every((v) => v === 0)).toBe(true);
  });

  it('starts afresh on a frame of another size', async () => {
    const model = createBackgroundModel({ history: 30, varThreshold: 16 });
    for (const frame of squareFrames(5, () => null)) await model.apply(frame);
    const other = squareFrames(1, () => null, { width: 10, height: 8 })[0]!;
    const mask = await model.apply(other);
    expect(model.frames).toBe(1);
    expect(band(mask.data).every((v) => v === 127)).toBe(true);
  });
});
