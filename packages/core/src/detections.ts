import { isDetections, type Detections } from './values.js';

/**
 * Detections found on a slice or crop, moved into the coordinates of the image the chain of crops
 * started from (Roboflow's `parent` coordinates are the root image's).
 */
export function toParentCoordinates(value: unknown): unknown {
  if (!isDetections(value) || !value.lineage) return value;
  const lineage = value.lineage.root ?? value.lineage;
  const moved: Detections = {
    image: { width: lineage.parentWidth, height: lineage.parentHeight },
    predictions: value.predictions.map((p) => ({ ...p, x: p.x + lineage.offsetX, y: p.y + lineage.offsetY, parent_id: lineage.parentId })),
  };
  return moved;
}
