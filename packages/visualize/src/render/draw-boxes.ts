import { toHex, type Rgb } from '../colors.js';
import type { RgbCanvas } from './canvas.js';
import type { SpriteSheet } from './sprite-sheet.js';

export interface BoxStyle {
  readonly color: Rgb;
  readonly thickness: number;
  /** 0 (square corners) to 1 (corner radius = half the shorter side), as supervision's RoundBoxAnnotator. */
  readonly roundness: number;
}

type Corner = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

/**
 * Draws a box outline. The stroke is centred on the box edge as OpenCV draws it, but kept inside
 * the image, so a box cut by the image border still shows its edge along that border. Straight
 * edges are opaque fills on the canvas; rounded corners are antialiased arcs added to `sheet`.
 */
export function drawBox(canvas: RgbCanvas, sheet: SpriteSheet, box: { x1: number; y1: number; x2: number; y2: number }, style: BoxStyle): void {
  const thickness = Math.max(1, Math.round(style.thickness));
  const half = thickness / 2;
  // The stroke's centre line, kept far enough inside the image for the whole stroke to show.
  const left = Math.max(half, Math.min(canvas.width - half, Math.round(box.x1)));
  const right = Math.max(half, Math.min(canvas.width - half, Math.round(box.x2)));
  const top = Math.max(half, Math.min(canvas.height - half, Math.round(box.y1)));
  const bottom = Math.max(half, Math.min(canvas.height - half, Math.round(box.y2)));
  const radius = Math.floor(Math.floor(Math.min(box.x2 - box.x1, box.y2 - box.y1) / 2) * Math.min(1, Math.max(0, style.roundness)));
  const r = Math.min(radius, Math.floor((right - left) / 2), Math.floor((bottom - top) / 2));
  const { color } = style;
  // Straight edges (between the corners when they are rounded).
  canvas.fillRect(left - half + (r > 0 ? half + r : 0), top - half, right + half - (r > 0 ? half + r : 0), top + half, color);
  canvas.fillRect(left - half + (r > 0 ? half + r : 0), bottom - half, right + half - (r > 0 ? half + r : 0), bottom + half, color);
  canvas.fillRect(left - half, top - half + (r > 0 ? half + r : 0), left + half, bottom + half - (r > 0 ? half + r : 0), color);
  canvas.fillRect(right - half, top - half + (r > 0 ? half + r : 0), right + half, bottom + half - (r > 0 ? half + r : 0), color);
  if (r <= 0) return;
  const margin = 1;
  const size = r + half + margin;
  const origin = half + margin; // where the box corner's centre line sits inside the sprite
  const arc = `<path d="M${origin} ${origin + r}A${r} ${r} 0 0 1 ${origin + r} ${origin}" fill="none" stroke="${toHex(color)}" stroke-width="${thickness}"/>`;
  const corners: [Corner, number, number][] = [
    ['top-left', left - origin, top - origin],
    ['top-right', right - r, top - origin],
    ['bottom-left', left - origin, bottom - r],
    ['bottom-right', right - r, bottom - r],
  ];
  for (const [corner, x, y] of corners) {
    const flipX = corner.endsWith('right');
    const flipY = corner.startsWith('bottom');
    const transform = flipX || flipY ? ` transform="translate(${flipX ? size : 0} ${flipY ? size : 0}) scale(${flipX ? -1 : 1} ${flipY ? -1 : 1})"` : '';
    sheet.add(`<g${transform}>${arc}</g>`, { width: size, height: size, left: x, top: y });
  }
}
