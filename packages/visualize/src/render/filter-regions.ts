import { loadSharp } from '@vad/core';
import type { RgbCanvas } from './canvas.js';

/** A whole-pixel rectangle of the canvas, [left, left + width) × [top, top + height). */
export interface Region {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

type Box = { readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number };

/** The whole-pixel region a box covers, clipped to the canvas; undefined when it has no pixels. */
export function boxRegion(canvas: RgbCanvas, box: Box): Region | undefined {
  const left = Math.max(0, Math.round(box.x1));
  const top = Math.max(0, Math.round(box.y1));
  const right = Math.min(canvas.width, Math.round(box.x2));
  const bottom = Math.min(canvas.height, Math.round(box.y2));
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : undefined;
}

type Sharp = import('sharp').Sharp;

/**
 * Replaces each box's region of the canvas (boxes with no whole pixel are skipped) by what libvips
 * makes of it: `filter` gets a sharp pipeline of the region (already extracted) and returns the raw
 * RGB pixels of a region of the same size, which are copied back row by row. Regions are filtered
 * one after another on the canvas as it is then, as supervision's annotators modify the scene box
 * by box (an overlap is filtered twice).
 */
export async function filterBoxes(canvas: RgbCanvas, boxes: readonly Box[], filter: (region: Sharp, size: Region) => Promise<Buffer>): Promise<void> {
  const sharp = await loadSharp();
  const frame = Buffer.from(canvas.data.buffer, canvas.data.byteOffset, canvas.data.byteLength);
  for (const box of boxes) {
    const region = boxRegion(canvas, box);
    if (!region) continue;
    const pipeline = sharp(frame, { raw: { width: canvas.width, height: canvas.height, channels: 3 } }).extract(region);
    const filtered = await filter(pipeline, region);
    const rowBytes = region.width * 3;
    for (let y = 0; y < region.height; y++) {
      canvas.data.set(filtered.subarray(y * rowBytes, (y + 1) * rowBytes), ((region.top + y) * canvas.width + region.left) * 3);
    }
  }
}
