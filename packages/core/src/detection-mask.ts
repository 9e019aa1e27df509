import { decodeRle, isCocoRle } from './coco-rle.js';
import type { Detection } from './values.js';

/**
 * A binary mask (1 inside) of the polygon through `points` on a `width × height` grid, as OpenCV's
 * `fillPoly` draws it: every pixel whose centre lies inside (scanlines at pixel centres) and every
 * pixel the outline passes through. Points are pixel centres, as Roboflow's polygons are.
 */
export function fillPolygon(points: readonly { x: number; y: number }[], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  const count = points.length;
  if (count === 0) return mask;
  let minY = Infinity, maxY = -Infinity;
  for (const p of points) {
    minY = Math.min(minY, p.y);
    maxY = Math.max(maxY, p.y);
  }
  const crossings: number[] = [];
  for (let y = Math.max(0, Math.ceil(minY)); y <= Math.min(height - 1, Math.floor(maxY)); y++) {
    crossings.length = 0;
    for (let i = 0, j = count - 1; i < count; j = i++) {
      const a = points[j]!, b = points[i]!;
      // Half-open in y, so a vertex on the scanline is counted once.
      if (a.y <= y !== b.y <= y) crossings.push(a.x + ((y - a.y) * (b.x - a.x)) / (b.y - a.y));
    }
    crossings.sort((p, q) => p - q);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = Math.max(0, Math.ceil(crossings[k]!)), to = Math.min(width - 1, Math.floor(crossings[k + 1]!));
      if (to >= from) mask.fill(1, y * width + from, y * width + to + 1);
    }
  }
  // The outline's own pixels (Bresenham-like: one step per pixel along the longer axis).
  for (let i = 0; i < count; i++) {
    const a = points[i]!, b = points[(i + 1) % count]!;
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(b.x - a.x), Math.abs(b.y - a.y))));
    for (let s = 0; s <= steps; s++) {
      const x = Math.round(a.x + ((b.x - a.x) * s) / steps), y = Math.round(a.y + ((b.y - a.y) * s) / steps);
      if (x >= 0 && y >= 0 && x < width && y < height) mask[y * width + x] = 1;
    }
  }
  return mask;
}

/**
 * A detection's mask (1 inside, row-major) on its image's `width × height` grid: its `rle_mask`
 * (COCO RLE, Roboflow's RLE instance segmentation; resampled to the nearest pixel if it was made
 * at another size) or else its polygon `points`, filled. Undefined for a detection with neither.
 */
export function detectionMask(detection: Detection, width: number, height: number): Uint8Array | undefined {
  const rle = detection.rle_mask;
  if (isCocoRle(rle)) {
    const decoded = decodeRle(rle);
    const [rleHeight, rleWidth] = rle.size;
    if (rleWidth === width && rleHeight === height) return decoded;
    const mask = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      const row = Math.min(rleHeight - 1, Math.floor(((y + 0.5) * rleHeight) / height)) * rleWidth;
      for (let x = 0; x < width; x++) mask[y * width + x] = decoded[row + Math.min(rleWidth - 1, Math.floor(((x + 0.5) * rleWidth) / width))]!;
    }
    return mask;
  }
  const points = detection.points;
  if (!Array.isArray(points) || points.length < 3) return undefined;
  const outline = (points as unknown[]).filter((p): p is { x: number; y: number } => typeof (p as { x?: unknown })?.x === 'number' && typeof (p as { y?: unknown })?.y === 'number');
  return outline.length >= 3 ? fillPolygon(outline, width, height) : undefined;
}
