import { defineBlock, field, InvalidInputError, isDetections, kinds, newDetectionId, z, type Detection, type Detections } from '@vad/core';

/**
 * One detection enclosing all of `detections` (Roboflow's `detections_merge@v1`): the union of the
 * boxes, the lowest confidence among them, class id 0 and `className`. No detections: none.
 */
export function mergeDetections(detections: Detections, className: string): Detections {
  const { predictions } = detections;
  if (predictions.length === 0) return { ...detections, predictions: [] };
  let x1 = Number.POSITIVE_INFINITY, y1 = Number.POSITIVE_INFINITY, x2 = Number.NEGATIVE_INFINITY, y2 = Number.NEGATIVE_INFINITY;
  let lowest = predictions[0]!;
  for (const p of predictions) {
    x1 = Math.min(x1, p.x - p.width / 2);
    y1 = Math.min(y1, p.y - p.height / 2);
    x2 = Math.max(x2, p.x + p.width / 2);
    y2 = Math.max(y2, p.y + p.height / 2);
    if (p.confidence < lowest.confidence) lowest = p;
  }
  const merged: Detection = {
    x: (x1 + x2) / 2,
    y: (y1 + y2) / 2,
    width: x2 - x1,
    height: y2 - y1,
    confidence: lowest.confidence,
    class: className,
    class_id: 0,
    detection_id: newDetectionId(),
    // Roboflow's merged detection has no parent; all inputs share the image, so it keeps theirs.
    parent_id: predictions[0]!.parent_id,
  };
  return { ...detections, predictions: [merged] };
}

/** Roboflow's detections merge: all detections of an image become one box around them. */
export const detectionsMerge = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/detections_merge@v1',
  aliases: ['roboflow_core/detections_merge@v1'],
  title: 'Detections Merge',
  description:
    "Replaces the detections with one detection whose box encloses them all, with the lowest of their confidences, class id 0 and class_name as its class (no detections: none). Masks and keypoints are not carried over.",
  manifest: {
    predictions: field.selector<Detections>([kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction, 'keypoint_detection_prediction']),
    class_name: field.literal(z.string().default('merged_detection'), { description: 'Class of the merged detection.' }),
  },
  outputs: { predictions: { kinds: [kinds.objectDetectionPrediction] } },
  create: ({ stepName }) => ({
    run: (inputs) => {
      if (!isDetections(inputs.predictions)) throw new InvalidInputError({ message: 'expected detections ({image, predictions})', stepName, property: 'predictions' });
      return { predictions: mergeDetections(inputs.predictions, inputs.class_name) };
    },
  }),
});
