import { decodeRle, encodeMask, isCocoRle } from './coco-rle.js';
import { isDetections, type Detection, type Detections } from './values.js';

/**
 * Detections found on a slice or crop, moved into the coordinates of the image the chain of crops
 * started from (Roboflow's `parent` coordinates are the root image's). Detections inside lists and
 * plain objects (a `*` output, a collapsed list) are moved too; any other value is returned as is.
 */
export function toParentCoordinates(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toParentCoordinates);
  if (!isDetections(value)) {
    if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, toParentCoordinates(entry)]));
  }
  if (!value.lineage) return value;
  const lineage = value.lineage.root ?? value.lineage;
  const moved: Detections = {
    image: { width: lineage.parentWidth, height: lineage.parentHeight },
    predictions: value.predictions.map((p) => ({ ...moveDetection(p, lineage.offsetX, lineage.offsetY, { width: lineage.parentWidth, height: lineage.parentHeight }), parent_id: lineage.parentId })),
  };
  return moved;
}

/**
 * A detection moved by (dx, dy) into an image of size `frame`: its centre, an instance
 * segmentation's outline (`points`), a keypoint detection's `keypoints`, and its whole-image mask
 * (`rle_mask`), re-placed in `frame` and clipped to it, as Roboflow moves boxes, polygons, masks
 * and keypoints together.
 */
export function moveDetection(detection: Detection, dx: number, dy: number, frame: { width: number; height: number }): Detection {
  const moved: Detection = { ...detection, x: detection.x + dx, y: detection.y + dy };
  for (const key of ['points', 'keypoints'] as const) {
    const list = detection[key];
    if (Array.isArray(list)) moved[key] = (list as Array<{ x: number; y: number }>).map((point) => ({ ...point, x: point.x + dx, y: point.y + dy }));
  }
  if (isCocoRle(detection.rle_mask)) {
    const [height, width] = detection.rle_mask.size;
    // Slice and crop offsets are whole pixels; a mask is moved by whole pixels.
    const mask = { data: decodeRle(detection.rle_mask), width, height, left: Math.round(dx), top: Math.round(dy) };
    moved.rle_mask = encodeMask(mask, frame.width, frame.height);
  }
  return moved;
}
