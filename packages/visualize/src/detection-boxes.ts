import { InvalidInputError, isDetections, type Detection, type Detections } from '@vad/core';

/** A detection's box in the pixel coordinates of the image being drawn on (corners, x1 < x2). */
export interface PixelBox {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly detection: Detection;
  /** Position in the predictions list (for `color_axis: INDEX` and `text: Index`). */
  readonly index: number;
}

/** Supervision's anchor names (Roboflow's `text_position` / `position` values). */
export const anchorPositions = [
  'CENTER',
  'CENTER_LEFT',
  'CENTER_RIGHT',
  'TOP_CENTER',
  'TOP_LEFT',
  'TOP_RIGHT',
  'BOTTOM_LEFT',
  'BOTTOM_CENTER',
  'BOTTOM_RIGHT',
  'CENTER_OF_MASS',
] as const;
export type AnchorPosition = (typeof anchorPositions)[number];

/** Checks that a value is Roboflow's `{image, predictions}` envelope, with a clear error when not. */
export function requireDetections(value: unknown, where: { stepName: string; property: string }): Detections {
  if (!isDetections(value)) {
    throw new InvalidInputError({ message: 'expected object detection predictions ({image: {width, height}, predictions: [...]})', ...where });
  }
  return value;
}

/**
 * The boxes of `detections` in the coordinates of an image `width`×`height`. Predictions made on
 * a resized copy (their `image` size differs) are scaled; boxes are clipped to the image and boxes
 * that lie wholly outside it, or have no area or non-finite coordinates, are left out.
 */
export function pixelBoxes(detections: Detections, width: number, height: number): PixelBox[] {
  const sourceWidth = detections.image?.width || width;
  const sourceHeight = detections.image?.height || height;
  const scaleX = width / sourceWidth;
  const scaleY = height / sourceHeight;
  const boxes: PixelBox[] = [];
  detections.predictions.forEach((detection, index) => {
    const { x, y, width: w, height: h } = detection;
    if (![x, y, w, h].every(Number.isFinite) || w <= 0 || h <= 0) return;
    const x1 = Math.max(0, (x - w / 2) * scaleX);
    const y1 = Math.max(0, (y - h / 2) * scaleY);
    const x2 = Math.min(width, (x + w / 2) * scaleX);
    const y2 = Math.min(height, (y + h / 2) * scaleY);
    if (x2 <= x1 || y2 <= y1) return;
    boxes.push({ x1, y1, x2, y2, detection, index });
  });
  return boxes;
}

/** The point of a box that an anchor names (supervision's `get_anchors_coordinates`). */
export function anchorPoint(box: { x1: number; y1: number; x2: number; y2: number }, anchor: AnchorPosition): { x: number; y: number } {
  const centerX = (box.x1 + box.x2) / 2;
  const centerY = (box.y1 + box.y2) / 2;
  switch (anchor) {
    case 'CENTER':
    case 'CENTER_OF_MASS':
      return { x: centerX, y: centerY };
    case 'CENTER_LEFT':
      return { x: box.x1, y: centerY };
    case 'CENTER_RIGHT':
      return { x: box.x2, y: centerY };
    case 'TOP_CENTER':
      return { x: centerX, y: box.y1 };
    case 'TOP_LEFT':
      return { x: box.x1, y: box.y1 };
    case 'TOP_RIGHT':
      return { x: box.x2, y: box.y1 };
    case 'BOTTOM_LEFT':
      return { x: box.x1, y: box.y2 };
    case 'BOTTOM_CENTER':
      return { x: centerX, y: box.y2 };
    case 'BOTTOM_RIGHT':
      return { x: box.x2, y: box.y2 };
  }
}
