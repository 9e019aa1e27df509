import { loadSharp } from '@vad/core';

const discs = new Map<number, Uint8Array>();

/**
 * A filled disc of `radius` pixels as a (2r+1)² mask of 0/1, rasterized once by librsvg and
 * thresholded at half coverage, as OpenCV's filled `circle` covers pixels.
 */
export async function discMask(radius: number): Promise<Uint8Array> {
  let disc = discs.get(radius);
  if (!disc) {
    const size = 2 * radius + 1;
    const sharp = await loadSharp();
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><circle cx="${radius + 0.5}" cy="${radius + 0.5}" r="${radius + 0.5}" fill="#fff"/></svg>`;
    const alpha = await sharp(Buffer.from(svg)).ensureAlpha().extractChannel(3).raw().toBuffer();
    disc = new Uint8Array(size * size);
    for (let i = 0; i < disc.length; i++) disc[i] = alpha[i]! >= 128 ? 1 : 0;
    discs.set(radius, disc);
  }
  return disc;
}

/**
 * Heat accumulated over the frames of one stream (supervision's HeatMapAnnotator): each frame adds
 * 1 inside the union of discs around its detections' anchors, so overlapping discs of one frame
 * count once and heat counts frames.
 */
export class HeatAccumulator {
  readonly width: number;
  readonly height: number;
  readonly heat: Float32Array;
  #frame: Uint8Array;
  #maximum = 0;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.heat = new Float32Array(width * height);
    this.#frame = new Uint8Array(width * height);
  }

  get maximum(): number {
    return this.#maximum;
  }

  /** Adds one frame's discs around `points` (pixel coordinates, truncated to integers as OpenCV does). */
  add(points: readonly { x: number; y: number }[], radius: number, disc: Uint8Array): void {
    if (points.length === 0) return;
    const { width, height } = this;
    const size = 2 * radius + 1;
    const frame = this.#frame;
    let minX = width;
    let minY = height;
    let maxX = -1;
    let maxY = -1;
    for (const point of points) {
      const cx = Math.trunc(point.x);
      const cy = Math.trunc(point.y);
      const x0 = Math.max(0, cx - radius);
      const y0 = Math.max(0, cy - radius);
      const x1 = Math.min(width, cx + radius + 1);
      const y1 = Math.min(height, cy + radius + 1);
      if (x1 <= x0 || y1 <= y0) continue;
      for (let y = y0; y < y1; y++) {
        const discRow = (y - cy + radius) * size - cx + radius;
        const row = y * width;
        for (let x = x0; x < x1; x++) frame[row + x] = frame[row + x]! | disc[discRow + x]!;
      }
      if (x0 < minX) minX = x0;
      if (y0 < minY) minY = y0;
      if (x1 > maxX) maxX = x1;
      if (y1 > maxY) maxY = y1;
    }
    // Only the rectangle the discs touched changes.
    const heat = this.heat;
    let maximum = this.#maximum;
    for (let y = minY; y < maxY; y++) {
      for (let i = y * width + minX, end = y * width + maxX; i < end; i++) {
        if (frame[i] === 0) continue;
        frame[i] = 0;
        const value = heat[i]! + 1;
        heat[i] = value;
        if (value > maximum) maximum = value;
      }
    }
    this.#maximum = maximum;
  }
}
