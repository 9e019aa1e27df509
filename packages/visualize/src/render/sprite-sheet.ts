import { loadSharp } from '@vad/core';
import type { RgbCanvas } from './canvas.js';

/**
 * Why a sprite sheet: compositing an SVG over a whole 1280×720 frame with sharp costs 20–30 ms
 * on this project's 2-core machines (libvips blends every pixel of the frame in float, and
 * librsvg clears and converts a full-frame surface), which alone exceeds the 15 ms budget for a
 * frame of boxes and labels. So each overlay that needs antialiased shapes — a rounded corner, a
 * rounded or translucent label background — is drawn as SVG into its own cell of one small sheet, librsvg rasterizes the sheet in
 * one call, and each cell is alpha-blended onto the frame where it belongs: the work is
 * proportional to the area drawn, not to the frame.
 */

interface Cell {
  readonly sheetY: number;
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly top: number;
}

/** Cells are stacked vertically with a transparent gap so antialiasing never bleeds between them. */
const gap = 2;

export class SpriteSheet {
  #cells: Cell[] = [];
  #body: string[] = [];
  #height = 0;
  #width = 1;

  get size(): number {
    return this.#cells.length;
  }

  /**
   * Adds a sprite `width`×`height` whose top-left lands at (`left`, `top`) on the frame. `svg` is
   * drawn in the sprite's own coordinates (0,0 at its top-left) and must stay inside the sprite:
   * cells are not clipped (clipping costs librsvg a layer per cell).
   */
  add(svg: string, options: { width: number; height: number; left: number; top: number }): void {
    const width = Math.max(1, Math.ceil(options.width));
    const height = Math.max(1, Math.ceil(options.height));
    const sheetY = this.#height;
    this.#cells.push({ sheetY, width, height, left: Math.round(options.left), top: Math.round(options.top) });
    this.#body.push(`<g transform="translate(0 ${sheetY})">${svg}</g>`);
    this.#height += height + gap;
    if (width > this.#width) this.#width = width;
  }

  /** The whole sheet as one SVG document. */
  toSvg(): string {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${this.#width}" height="${Math.max(1, this.#height)}">${this.#body.join('')}</svg>`;
  }

  /** Rasterizes the sheet with librsvg (one sharp call) and blends every cell onto `canvas`. */
  async drawOnto(canvas: RgbCanvas): Promise<void> {
    if (this.#cells.length === 0) return;
    const sharp = await loadSharp();
    const { data, info } = await sharp(Buffer.from(this.toSvg()), { density: 72 }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const rgba = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    for (const cell of this.#cells) {
      canvas.blendRgba(rgba, info.width, { x: 0, y: cell.sheetY, width: cell.width, height: cell.height }, cell.left, cell.top);
    }
  }
}
