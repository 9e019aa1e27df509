import { defineBlock, field, InvalidInputError, isDetections, kinds, type Detection, type Detections } from '@vad/core';
import type { PolygonPoint } from './segmentation/mask-polygon.js';
import { minAreaRect, rectCorners } from './segmentation/min-area-rect.js';

const isPoint = (value: unknown): value is PolygonPoint =>
  typeof value === 'object' && value !== null && Number.isFinite((value as PolygonPoint).x) && Number.isFinite((value as PolygonPoint).y);

/**
 * Each instance's outline replaced by the least-area rotated rectangle around it (Roboflow's
 * `bounding_rect@v1`): `points` become the rectangle's four corners (whole pixels, cut towards
 * zero as Roboflow's int cast does), the box the upright box around those corners, and the
 * detection gains `rect` (the corners as [x, y] pairs, in OpenCV's boxPoints order), `angle`
 * (degrees) and `rect_width` / `rect_height` (the rotated sides). Throws when a detection has no
 * outline.
 */
export function boundingRectangles(detections: Detections, where: { stepName?: string } = {}): Detections {
  const predictions = detections.predictions.map((p, index): Detection => {
    const points = Array.isArray(p.points) ? p.points.filter(isPoint) : [];
    if (points.length === 0) {
      throw new InvalidInputError({
        message: `detection ${index} has no points (its mask outline): this block needs an instance segmentation model's predictions`,
        ...where,
        property: 'predictions',
      });
    }
    const rect = minAreaRect(points);
    const corners = rectCorners(rect).map((c) => ({ x: Math.trunc(c.x), y: Math.trunc(c.y) }));
    const xs = corners.map((c) => c.x);
    const ys = corners.map((c) => c.y);
    const x1 = Math.min(...xs), x2 = Math.max(...xs), y1 = Math.min(...ys), y2 = Math.max(...ys);
    return {
      ...p,
      x: (x1 + x2) / 2,
      y: (y1 + y2) / 2,
      width: x2 - x1,
      height: y2 - y1,
      points: corners,
      rect: corners.map((c) => [c.x, c.y]),
      rect_width: rect.width,
      rect_height: rect.height,
      angle: rect.angle,
    };
  });
  return { ...detections, predictions };
}

/** Roboflow's Bounding Rectangle: instance outlines simplified to their minimum-area rotated rectangles (e.g. to make zones). */
export const boundingRect = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/bounding_rect@v1',
  aliases: ['roboflow_core/bounding_rect@v1'],
  title: 'Bounding Rectangle',
  description:
    "Replaces each instance segmentation's outline with the smallest rotated rectangle around it: points become its 4 corners, the box the upright box around them; adds rect (the corners), angle (degrees, (0, 90]), rect_width and rect_height.",
  manifest: {
    predictions: field.selector<Detections>([kinds.instanceSegmentationPrediction]),
  },
  outputs: { detections_with_rect: { kinds: [kinds.instanceSegmentationPrediction] } },
  create: ({ stepName }) => ({
    run: (inputs) => {
      if (!isDetections(inputs.predictions)) throw new InvalidInputError({ message: 'expected instance segmentation predictions ({image, predictions})', stepName, property: 'predictions' });
      return { detections_with_rect: boundingRectangles(inputs.predictions, { stepName }) };
    },
  }),
});
