import { anchorPositions, defineBlock, type Detection, type Detections, field, InvalidInputError, kinds, type PolygonPoint as Point, z } from '@vad/core';
import { applyHomography, perspectiveTransform, type Homography } from './homography.js';
import { extendPolygonToDetections, orderCorners, pickPerspectivePolygon } from './perspective-polygon.js';
import { warpPerspective } from './warp-perspective.js';

interface Correction {
  transform: Homography;
  width: number;
  height: number;
}

/**
 * The transform taking `polygon` onto a `width` × `height` rectangle (bottom-left corner to the
 * rectangle's bottom-left), grown to hold every detection's anchor when `anchor` is given.
 */
export function perspectiveCorrection(polygon: readonly Point[], width: number, height: number, extend?: { detections: Detections; anchor: (typeof anchorPositions)[number] | 'ALL' }): Correction {
  let corners = orderCorners(polygon);
  let [growWidth, growHeight] = [0, 0];
  if (extend) {
    const extended = extendPolygonToDetections(corners, extend.detections, extend.anchor);
    corners = extended.corners;
    growWidth = Math.round((extended.extendedWidth * width) / Math.max(extended.originalWidth, 1));
    growHeight = Math.round((extended.extendedHeight * height) / Math.max(extended.originalHeight, 1));
  }
  const [w, h] = [width + growWidth, height + growHeight];
  const target: Point[] = [[0, h - 1], [0, 0], [w - 1, 0], [w - 1, h - 1]];
  return { transform: perspectiveTransform(corners, target), width: w, height: h };
}

const boxOf = (points: readonly Point[]) => {
  const xs = points.map((p) => Math.round(p[0])), ys = points.map((p) => Math.round(p[1]));
  const [x1, y1, x2, y2] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  return { x: (x1 + x2) / 2, y: (y1 + y2) / 2, width: x2 - x1, height: y2 - y1 };
};

/** A detection moved through the transform: its outline's (or box corners') image, boxed again. */
function correctDetection(detection: Detection, transform: Homography): Detection {
  const move = (p: Point) => applyHomography(transform, p);
  const corrected: Detection = { ...detection };
  if (Array.isArray(detection.points) && detection.points.length > 0) {
    const outline = (detection.points as { x: number; y: number }[]).map((p) => move([p.x, p.y]));
    corrected.points = outline.map(([x, y]) => ({ x: Math.round(x), y: Math.round(y) }));
    Object.assign(corrected, boxOf(outline));
  } else {
    const [x1, y1, x2, y2] = [detection.x - detection.width / 2, detection.y - detection.height / 2, detection.x + detection.width / 2, detection.y + detection.height / 2].map(Math.round) as [number, number, number, number];
    Object.assign(corrected, boxOf([move([x1, y1]), move([x2, y1]), move([x2, y2]), move([x1, y2])]));
  }
  if (Array.isArray(detection.keypoints)) {
    corrected.keypoints = (detection.keypoints as { x: number; y: number }[]).map((k) => {
      const [x, y] = move([k.x, k.y]);
      return { ...k, x: Math.round(x), y: Math.round(y) };
    });
  }
  return corrected;
}

/**
 * Roboflow's `perspective_correction@v1`: detections (and optionally the image) mapped from a
 * 4-corner polygon on the image — a floor, a table, a belt seen at an angle — onto a straight
 * rectangle, as if seen from above. The warp runs in ONNX Runtime (GridSample).
 */
export const perspectiveCorrectionBlock = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/perspective_correction@v1',
  aliases: ['roboflow_core/perspective_correction@v1', 'PerspectiveCorrection'],
  title: 'Perspective Correction',
  description:
    'Maps detections from a 4-corner polygon onto a transformed_rect_width × transformed_rect_height rectangle (bottom-left to bottom-left), and with warp_image the image too (bilinear, black outside).',
  manifest: {
    images: field.image({ aliases: ['image'] }),
    predictions: field.selector<Detections>([kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction, 'keypoint_detection_prediction'], { optional: true, description: 'Detections to map into the rectangle (outlines and keypoints move with them)' }),
    perspective_polygons: field.parameter(z.array(z.unknown()), [kinds.listOfValues], {
      description: 'A polygon of 4 [x, y] corners, or a list of polygons (the largest with 4 corners is used), e.g. a dynamic zone’s zones',
    }),
    transformed_rect_width: field.parameter(z.number().int().min(1).max(16384).default(1000), [kinds.integer], { description: 'Width of the rectangle' }),
    transformed_rect_height: field.parameter(z.number().int().min(1).max(16384).default(1000), [kinds.integer], { description: 'Height of the rectangle' }),
    extend_perspective_polygon_by_detections_anchor: field.parameter(z.enum(['', ...anchorPositions, 'ALL']).default(''), [kinds.string], {
      description: 'Grow the polygon until each detection’s anchor (ALL: its whole box) lies inside; empty: do not grow',
    }),
    warp_image: field.parameter(z.boolean().default(false), [kinds.boolean], { description: 'Also warp the image into the rectangle' }),
  },
  outputs: {
    corrected_coordinates: { kinds: [kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction, 'keypoint_detection_prediction'] },
    warped_image: { kinds: [kinds.image] },
    extended_transformed_rect_width: { kinds: [kinds.integer] },
    extended_transformed_rect_height: { kinds: [kinds.integer] },
  },
  create: ({ stepName }) => ({
    async run({ images, predictions, perspective_polygons, transformed_rect_width, transformed_rect_height, extend_perspective_polygon_by_detections_anchor: anchor, warp_image }) {
      let correction: Correction;
      try {
        const polygon = pickPerspectivePolygon(perspective_polygons);
        correction = perspectiveCorrection(polygon, transformed_rect_width ?? 1000, transformed_rect_height ?? 1000, anchor && predictions ? { detections: predictions, anchor } : undefined);
      } catch (cause) {
        throw new InvalidInputError({ message: `step "${stepName}": perspective_polygons: ${(cause as Error).message}`, stepName, property: 'perspective_polygons', cause });
      }
      const { transform, width, height } = correction;
      return {
        corrected_coordinates: predictions
          ? { image: { width, height }, predictions: predictions.predictions.map((d) => correctDetection(d, transform)) }
          : null,
        warped_image: warp_image ? await warpPerspective(images, transform, width, height) : images,
        extended_transformed_rect_width: width,
        extended_transformed_rect_height: height,
      };
    },
  }),
});
