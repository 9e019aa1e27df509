import { loadSharp } from '@vad/core';
import type { Rgb } from '../colors.js';
import type { RgbCanvas } from './canvas.js';

export interface Polyline {
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly color: Rgb;
  readonly thickness: number;
}

/**
 * Open polylines, antialiased by librsvg. Traces change every frame, so unlike the cached shape
 * masks each frame's lines are rasterized afresh: every line in its own cell (its bounding box plus
 * the stroke) of one sheet, in one librsvg call, then blended in order. Points are truncated to
 * whole pixels first and the stroke runs through pixel centres, as OpenCV's polylines draws.
 */
export async function drawPolylines(canvas: RgbCanvas, lines: readonly Polyline[]): Promise<void> {
  const drawable = lines.filter((line) => line.points.length > 1);
  if (drawable.length === 0) return;
  const cells: { line: Polyline; left: number; top: number; width: number; height: number; y: number }[] = [];
  let body = '';
  let sheetWidth = 1;
  let sheetHeight = 0;
  for (const line of drawable) {
    const xs = line.points.map((p) => Math.trunc(p.x));
    const ys = line.points.map((p) => Math.trunc(p.y));
    const pad = Math.ceil(line.thickness / 2) + 1;
    const left = Math.min(...xs) - pad;
    const top = Math.min(...ys) - pad;
    const width = Math.max(...xs) - left + pad + 1;
    const height = Math.max(...ys) - top + pad + 1;
    const path = xs.map((x, i) => `${x - left + 0.5},${ys[i]! - top + 0.5 + sheetHeight}`).join(' ');
    body += `<polyline points="${path}" fill="none" stroke="#fff" stroke-width="${line.thickness}" stroke-linejoin="round" stroke-linecap="round"/>`;
    cells.push({ line, left, top, width, height, y: sheetHeight });
    sheetHeight += height + 2;
    sheetWidth = Math.max(sheetWidth, width);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${sheetWidth}" height="${sheetHeight}">${body}</svg>`;
  const sharp = await loadSharp();
  const alpha = await sharp(Buffer.from(svg), { density: 72 }).ensureAlpha().extractChannel(3).raw().toBuffer();
  for (const cell of cells) {
    const mask = new Uint8Array(cell.width * cell.height);
    for (let row = 0; row < cell.height; row++) {
      const start = (cell.y + row) * sheetWidth;
      mask.set(alpha.subarray(start, start + cell.width), row * cell.width);
    }
    canvas.blendMask(mask, cell.width, cell.height, cell.left, cell.top, cell.line.color);
  }
}
