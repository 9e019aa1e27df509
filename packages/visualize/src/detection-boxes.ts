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

export { anchorPoint, anchorPositions, type AnchorPosition } from '@vad/core';

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
