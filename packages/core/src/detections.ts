import { isDetections, type Detection, type Detections } from './values.js';

/**
 * Detections found on a slice or crop, moved into the coordinates of the image the chain of crops
 * started from (Roboflow's `parent` coordinates are the root image's).
 */
export function toParentCoordinates(value: unknown): unknown {
  if (!isDetections(value) || !value.lineage) return value;
  const lineage = value.lineage.root ?? value.lineage;
  const moved: Detections = {
    image: { width: lineage.parentWidth, height: lineage.parentHeight },
    predictions: value.predictions.map((p) => ({ ...moveDetection(p, lineage.offsetX, lineage.offsetY), parent_id: lineage.parentId })),
  };
  return moved;
}

/**
 * A detection moved by (dx, dy): its centre, an instance segmentation's outline (`points`) and a
 * keypoint detection's `keypoints`, as Roboflow moves boxes, polygons and keypoints together.
 */
export function moveDetection(detection: Detection, dx: number, dy: number): Detection {
  const moved: Detection = { ...detection, x: detection.x + dx, y: detection.y + dy };
  for (const key of ['points', 'keypoints'] as const) {
    const list = detection[key];
    if (Array.isArray(list)) moved[key] = (list as Array<{ x: number; y: number }>).map((point) => ({ ...point, x: point.x + dx, y: point.y + dy }));
  }
  return moved;
}
