import { defineBlock, field, InvalidInputError, isDetections, kinds, moveDetection, z, type Detection, type Detections, type VadImage } from '@vad/core';
import { filterOverlaps, nonMaximumSuppression, type OverlapFilteringStrategy } from './overlap-filter.js';
import { boxesFromPredictions, predictionFromBox } from './prediction-boxes.js';

/**
 * Collapses a slice level: moves every slice's detections into the parent image by the slice's
 * lineage and merges the overlaps that slicing creates (Roboflow's `detections_stitch@v1`).
 */
export const detectionsStitch = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/detections_stitch@v1',
  aliases: ['roboflow_core/detections_stitch@v1'],
  title: 'Detections Stitch',
  description:
    'Maps per-slice detections back to the parent image (by each slice\'s offset) and merges duplicates from overlapping slices by class-aware NMS or NMM.',
  dimensionality: 'collapse',
  manifest: {
    reference_image: field.image({ description: 'the image that was sliced' }),
    predictions: field.selector<Array<Detections | null | undefined>>([kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction], { collapse: true, description: 'per-slice predictions' }),
    overlap_filtering_strategy: field.parameter(z.enum(['none', 'nms', 'nmm']).default('nms'), [kinds.string]),
    iou_threshold: field.parameter(z.number().min(0).max(1).default(0.3), [kinds.floatZeroToOne]),
  },
  outputs: { predictions: { kinds: [kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction] } },
  create: ({ stepName }) => ({
    run: (inputs) => ({
      predictions: stitchDetections(inputs.reference_image, inputs.predictions, {
        strategy: inputs.overlap_filtering_strategy,
        iouThreshold: inputs.iou_threshold,
        stepName,
      }),
    }),
  }),
});

export interface StitchOptions {
  strategy?: OverlapFilteringStrategy;
  iouThreshold?: number;
  stepName?: string;
}

/** One Detections in the reference image's coordinates from the detections of its slices. */
export function stitchDetections(referenceImage: VadImage, slices: ReadonlyArray<Detections | null | undefined>, options: StitchOptions = {}): Detections {
  const moved: Detection[] = [];
  slices.forEach((detections, index) => {
    if (detections == null) return; // a slice whose branch was skipped
    if (!isDetections(detections)) {
      throw new InvalidInputError({ message: `predictions[${index}] is not an object detection prediction`, stepName: options.stepName, property: 'predictions' });
    }
    const lineage = detections.lineage;
    if (!lineage) {
      if (detections.image.width === referenceImage.width && detections.image.height === referenceImage.height) {
        for (const p of detections.predictions) moved.push({ ...p, parent_id: referenceImage.id });
        return;
      }
      throw new InvalidInputError({
        message: `predictions[${index}] (${detections.image.width}×${detections.image.height}) carry no slice lineage, so they cannot be placed in the ${referenceImage.width}×${referenceImage.height} reference image`,
        stepName: options.stepName,
        property: 'predictions',
      });
    }
    if (lineage.parentId !== referenceImage.id) {
      throw new InvalidInputError({
        message: `predictions[${index}] come from a slice of image ${lineage.parentId}, not of the reference image ${referenceImage.id}`,
        stepName: options.stepName,
        property: 'reference_image',
      });
    }
    for (const p of detections.predictions) {
      // An instance segmentation's outline and mask and a pose's keypoints move with the box.
      moved.push({ ...moveDetection(p, lineage.offsetX, lineage.offsetY, referenceImage), parent_id: referenceImage.id });
    }
  });

  const strategy = options.strategy ?? 'nms';
  const iouThreshold = options.iouThreshold ?? 0.3;
  const boxes = boxesFromPredictions(moved);
  let predictions: Detection[];
  if (strategy === 'nms') {
    predictions = Array.from(nonMaximumSuppression(boxes, { iouThreshold }), (index) => moved[index]!);
  } else if (strategy === 'nmm') {
    const merged = filterOverlaps(boxes, 'nmm', { iouThreshold });
    const nameOf = new Map(moved.map((p) => [p.class_id, p.class]));
    predictions = Array.from({ length: merged.count }, (_, i) => predictionFromBox(merged, i, { className: nameOf.get(merged.classIds[i]!) ?? String(merged.classIds[i]), parentId: referenceImage.id }));
  } else {
    predictions = moved;
  }
  const result: Detections = { image: { width: referenceImage.width, height: referenceImage.height }, predictions };
  if (referenceImage.lineage) result.lineage = referenceImage.lineage;
  return result;
}
