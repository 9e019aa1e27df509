import type { Detections } from '@vad/core';
import type { PixelBox } from './detection-boxes.js';
import type { PolygonPoint } from './render/draw-polygons.js';

/**
 * A function giving an instance segmentation's outline (its `points`) in the pixels of an image
 * `width`×`height`, scaled as its box is when the predictions were made on a resized copy;
 * undefined for a detection without an outline.
 */
export function createOutlineLookup(detections: Detections, width: number, height: number): (box: PixelBox) => PolygonPoint[] | undefined {
  const scaleX = width / (detections.image?.width || width);
  const scaleY = height / (detections.image?.height || height);
  return (box) => {
    const points = box.detection.points;
    if (!Array.isArray(points)) return undefined;
    const outline: PolygonPoint[] = [];
    for (const point of points as unknown[]) {
      const { x, y } = (point ?? {}) as { x?: unknown; y?: unknown };
      if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) outline.push({ x: x * scaleX, y: y * scaleY });
    }
    return outline.length > 0 ? outline : undefined;
  };
}
