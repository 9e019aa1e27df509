import type { Rgb } from '../colors.js';
import type { RgbCanvas } from './canvas.js';
import { ensureMasks, type MaskRequest } from './coverage-masks.js';

export interface BoxStyle {
  readonly color: Rgb;
  readonly thickness: number;
  /** 0 (square corners) to 1 (corner radius = half the shorter side), as supervision's RoundBoxAnnotator. */
  readonly roundness: number;
}

type Corner = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

/** A rounded corner to blend once its coverage mask is ready. */
export interface PlacedCorner {
  readonly request: MaskRequest;
  readonly x: number;
  readonly y: number;
  readonly color: Rgb;
}

/** An antialiased quarter-circle stroke of radius `r` and width `thickness`, as a coverage-mask request. */
function cornerRequest(corner: Corner, r: number, thickness: number): MaskRequest {
  return {
    key: `corner:${corner}:${r}:${thickness}`,
    recipe: () => {
      const margin = 1;
      // Opaque fills of an odd thickness centre on the half pixel after the edge; the arc follows.
      const shift = thickness % 2 === 1 ? 0.5 : 0;
      const origin = Math.ceil(thickness / 2) + margin; // the corner point, in whole mask pixels
      const size = origin + r + 1;
      const arcOrigin = origin + shift;
      const flipX = corner.endsWith('right');
      const flipY = corner.startsWith('bottom');
      const transform = flipX || flipY ? ` transform="translate(${flipX ? size : 0} ${flipY ? size : 0}) scale(${flipX ? -1 : 1} ${flipY ? -1 : 1})"` : '';
      const svg = `<path${transform} d="M${arcOrigin} ${arcOrigin + r}A${r} ${r} 0 0 1 ${arcOrigin + r} ${arcOrigin}" fill="none" stroke="#fff" stroke-width="${thickness}"/>`;
      const offset = (flip: boolean) => (flip ? origin + 2 * shift - size : -origin);
      return { left: offset(flipX), top: offset(flipY), width: size, height: size, svg };
    },
  };
}

/**
 * Draws a box outline. The stroke is centred on the box edge as OpenCV draws it, but kept inside
 * the image, so a box cut by the image border still shows its edge along that border. Straight
 * edges are opaque fills on the canvas; rounded corners are returned, to be blended from cached
 * antialiased masks by `drawCorners`.
 */
export function drawBox(canvas: RgbCanvas, box: { x1: number; y1: number; x2: number; y2: number }, style: BoxStyle): PlacedCorner[] {
  const thickness = Math.max(1, Math.round(style.thickness));
  const half = thickness / 2;
  // The stroke's centre line, kept far enough inside the image for the whole stroke to show.
  const left = Math.max(half, Math.min(canvas.width - half, Math.round(box.x1)));
  const right = Math.max(half, Math.min(canvas.width - half, Math.round(box.x2)));
  const top = Math.max(half, Math.min(canvas.height - half, Math.round(box.y1)));
  const bottom = Math.max(half, Math.min(canvas.height - half, Math.round(box.y2)));
  const radius = Math.floor(Math.floor(Math.min(box.x2 - box.x1, box.y2 - box.y1) / 2) * Math.min(1, Math.max(0, style.roundness)));
  const r = Math.max(0, Math.min(radius, Math.floor((right - left) / 2), Math.floor((bottom - top) / 2)));
  const inset = r > 0 ? half + r : 0;
  const { color } = style;
  canvas.fillRect(left - half + inset, top - half, right + half - inset, top + half, color);
  canvas.fillRect(left - half + inset, bottom - half, right + half - inset, bottom + half, color);
  canvas.fillRect(left - half, top - half + inset, left + half, bottom + half - inset, color);
  canvas.fillRect(right - half, top - half + inset, right + half, bottom + half - inset, color);
  if (r <= 0) return [];
  // Each corner mask is anchored at the point where its arc's straight neighbours end.
  return [
    { request: cornerRequest('top-left', r, thickness), x: left, y: top, color },
    { request: cornerRequest('top-right', r, thickness), x: right, y: top, color },
    { request: cornerRequest('bottom-left', r, thickness), x: left, y: bottom, color },
    { request: cornerRequest('bottom-right', r, thickness), x: right, y: bottom, color },
  ];
}

/** Blends rounded corners from cached masks (rasterizing the new ones in one librsvg call). */
export async function drawCorners(canvas: RgbCanvas, corners: readonly PlacedCorner[]): Promise<void> {
  if (corners.length === 0) return;
  const masks = await ensureMasks(corners.map((corner) => corner.request));
  for (const corner of corners) {
    const mask = masks.get(corner.request.key);
    if (mask) canvas.blendMask(mask.alpha, mask.width, mask.height, Math.round(corner.x + mask.left), Math.round(corner.y + mask.top), corner.color);
  }
}
