import { detectionMask, externalContours, isCocoRle, type Detections } from '@vad/core';
import type { PixelBox } from './detection-boxes.js';
import type { PolygonPoint } from './render/draw-polygons.js';

/**
 * A function giving an instance segmentation's outline (its `points`) in the pixels of an image
 * `width`×`height`, scaled as its box is when the predictions were made on a resized copy;
 * undefined for a detection without an outline. A detection with only an `rle_mask` (Roboflow's
 * RLE instance segmentation) gets the outer contour of its mask's largest region.
 */
export function createOutlineLookup(detections: Detections, width: number, height: number): (box: PixelBox) => PolygonPoint[] | undefined {
  const scaleX = width / (detections.image?.width || width);
  const scaleY = height / (detections.image?.height || height);
  return (box) => {
    const points = box.detection.points;
    if (!Array.isArray(points)) return box.detection.rle_mask ? rleOutline(box, width, height) : undefined;
    const outline: PolygonPoint[] = [];
    for (const point of points as unknown[]) {
      const { x, y } = (point ?? {}) as { x?: unknown; y?: unknown };
      if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) outline.push({ x: x * scaleX, y: y * scaleY });
    }
    return outline.length > 0 ? outline : undefined;
  };
}

function rleOutline(box: PixelBox, width: number, height: number): PolygonPoint[] | undefined {
  const mask = detectionMask(box.detection, width, height);
  if (!mask) return undefined;
  const contours = externalContours(mask, width, height);
  let longest = contours[0];
  for (const contour of contours) if (contour.length > longest!.length) longest = contour;
  return longest && longest.length > 0 ? longest.map((p) => ({ x: p.x, y: p.y })) : undefined;
}

/** A detection's `rle_mask` as coverage (0 or 255) over its bounding region on a `width × height` canvas; undefined without one. */
export function rleCoverage(box: PixelBox, width: number, height: number): { alpha: Uint8Array; left: number; top: number; width: number; height: number; area: number } | undefined {
  if (!isCocoRle(box.detection.rle_mask)) return undefined;
  const mask = detectionMask(box.detection, width, height)!;
  let minX = width, minY = height, maxX = -1, maxY = -1, area = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (mask[row + x] === 0) continue;
      area++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (area === 0) return { alpha: new Uint8Array(0), left: 0, top: 0, width: 0, height: 0, area };
  const w = maxX - minX + 1, h = maxY - minY + 1;
  const alpha = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) alpha[y * w + x] = mask[(minY + y) * width + minX + x]! * 255;
  return { alpha, left: minX, top: minY, width: w, height: h, area };
}
