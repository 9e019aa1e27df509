import type { VadImage } from '@vad/core';
import type { Rgb } from '../colors.js';

/**
 * A private RGB copy of an image's pixels that overlays are blended into; the input image is never
 * touched. Solid rectangles (straight box edges, square labels) are row copies of a prepared color
 * row; anything antialiased arrives as a coverage mask rasterized by librsvg (coverage-masks.ts)
 * and is blended by `blendMask`.
 */
export class RgbCanvas {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  readonly #source: VadImage;

  private constructor(data: Uint8Array, width: number, height: number, source: VadImage) {
    this.data = data;
    this.width = width;
    this.height = height;
    this.#source = source;
  }

  /** A canvas holding a copy of the image's decoded pixels. */
  static async fromImage(image: VadImage): Promise<RgbCanvas> {
    const { data, width, height } = await image.pixels();
    // Uint8Array's slice copies (a Buffer's would not), whatever subclass the pixels are.
    return new RgbCanvas(Uint8Array.prototype.slice.call(data), width, height, image);
  }

  /** The source image drawn on: the canvas's pixels, the source's id, lineage and frame (the canvas must not be used afterwards). */
  toImage(): VadImage {
    return this.#source.withPixels({ data: this.data, width: this.width, height: this.height });
  }

  /** Fills the rectangle [x0, x1) × [y0, y1), clipped to the canvas, with an opaque color. */
  fillRect(x0: number, y0: number, x1: number, y1: number, color: Rgb): void {
    const left = Math.max(0, Math.round(x0));
    const right = Math.min(this.width, Math.round(x1));
    const top = Math.max(0, Math.round(y0));
    const bottom = Math.min(this.height, Math.round(y1));
    if (right <= left || bottom <= top) return;
    const rowBytes = (right - left) * 3;
    const row = colorRow(color, right - left);
    for (let y = top; y < bottom; y++) this.data.set(row.subarray(0, rowBytes), (y * this.width + left) * 3);
  }

  /** Blends one color through a coverage mask (0–255, times `opacity`) with its top-left at (left, top), clipped. */
  blendMask(alpha: Uint8Array, maskWidth: number, maskHeight: number, left: number, top: number, color: Rgb, opacity = 1): void {
    const startX = Math.max(0, -left);
    const startY = Math.max(0, -top);
    const endX = Math.min(maskWidth, this.width - left);
    const endY = Math.min(maskHeight, this.height - top);
    if (endX <= startX || endY <= startY) return;
    const { r, g, b } = color;
    const data = this.data;
    const scale = Math.round(Math.min(1, Math.max(0, opacity)) * 256);
    for (let y = startY; y < endY; y++) {
      let source = y * maskWidth + startX;
      let target = ((top + y) * this.width + left + startX) * 3;
      for (let x = startX; x < endX; x++, source++, target += 3) {
        const coverage = scale === 256 ? alpha[source]! : (alpha[source]! * scale) >> 8;
        if (coverage === 0) continue;
        const inverse = 255 - coverage;
        data[target] = ((r * coverage + data[target]! * inverse) * 257 + 32896) >>> 16;
        data[target + 1] = ((g * coverage + data[target + 1]! * inverse) * 257 + 32896) >>> 16;
        data[target + 2] = ((b * coverage + data[target + 2]! * inverse) * 257 + 32896) >>> 16;
      }
    }
  }
}

const rows = new Map<number, Uint8Array>();

/** A row of `length` pixels of one color (cached per color; grown when needed). */
function colorRow(color: Rgb, length: number): Uint8Array {
  const key = (color.r << 16) | (color.g << 8) | color.b;
  let row = rows.get(key);
  if (!row || row.length < length * 3) {
    row = new Uint8Array(Math.max(length, 2048) * 3);
    row[0] = color.r;
    row[1] = color.g;
    row[2] = color.b;
    // Doubling copies: log2(length) native copies instead of a loop over pixels.
    for (let filled = 3; filled < row.length; filled *= 2) row.copyWithin(filled, 0, Math.min(filled, row.length - filled));
    if (rows.size > 256) rows.clear();
    rows.set(key, row);
  }
  return row;
}
