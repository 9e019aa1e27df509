import { applyOperations, defineBlock, field, InvalidInputError, isClassification, isDetections, kinds, queryOperation, z, type Classification, type Detection, type Detections } from '@vad/core';

export interface DetectionsFilterOptions {
  /** Keep only these class names (empty or absent: every class). */
  classes?: readonly string[];
  /** Drop these class names. */
  excludeClasses?: readonly string[];
  minConfidence?: number;
  maxConfidence?: number;
  /** Box size limits in pixels. */
  minWidth?: number;
  maxWidth?: number;
  minHeight?: number;
  maxHeight?: number;
  /** Box area limits in square pixels. */
  minArea?: number;
  maxArea?: number;
  /** Box area limits as a share of the image area. */
  minAreaRatio?: number;
  maxAreaRatio?: number;
}

/** Whether one prediction passes every limit that is set. */
export function passesFilter(p: Detection, options: DetectionsFilterOptions, imageArea: number): boolean {
  if (options.classes && options.classes.length > 0 && !options.classes.includes(p.class)) return false;
  if (options.excludeClasses?.includes(p.class)) return false;
  const area = p.width * p.height;
  const within = (value: number, min: number | undefined, max: number | undefined) => (min === undefined || value >= min) && (max === undefined || value <= max);
  return (
    within(p.confidence, options.minConfidence, options.maxConfidence) &&
    within(p.width, options.minWidth, options.maxWidth) &&
    within(p.height, options.minHeight, options.maxHeight) &&
    within(area, options.minArea, options.maxArea) &&
    within(imageArea > 0 ? area / imageArea : 0, options.minAreaRatio, options.maxAreaRatio)
  );
}

/** The detections that pass every limit; the image and lineage are kept. */
export function filterDetections(detections: Detections, options: DetectionsFilterOptions): Detections {
  const imageArea = detections.image.width * detections.image.height;
  return { ...detections, predictions: detections.predictions.filter((p) => passesFilter(p, options, imageArea)) };
}

const optionalNumber = (kind: string) => field.parameter(z.number().min(0).optional(), [kind === 'ratio' ? kinds.floatZeroToOne : kinds.float]);

/** Roboflow's filter program: one family of filter per chain, as their v2 requires. */
const filterOperations = z
  .array(queryOperation)
  .min(1)
  .refine((ops) => !(ops.some((op) => op.type === 'DetectionsFilter') && ops.some((op) => op.type === 'ClassificationFilter')), {
    message: 'DetectionsFilter and ClassificationFilter cannot be mixed in one chain',
  });

/**
 * Keeps the detections of some classes, within confidence and size limits; or, in Roboflow's
 * form (`detections_filter@v1/@v2`), the detections or classes for which a query-language
 * `operations` program holds. Given both, the program runs first.
 */
export const detectionsFilter = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/detections_filter@v1',
  aliases: ['roboflow_core/detections_filter@v1', 'roboflow_core/detections_filter@v2', 'DetectionsFilter'],
  title: 'Detections Filter',
  description: 'Keeps detections by class, confidence, box size (pixels) and box area (pixels or share of the image), or by a Roboflow query-language program.',
  manifest: {
    predictions: field.selector<Detections | Classification>([kinds.objectDetectionPrediction, 'instance_segmentation_prediction', 'keypoint_detection_prediction', kinds.classificationPrediction]),
    operations: field.literal(filterOperations.optional(), { description: "Roboflow's form: DetectionsFilter (or ClassificationFilter) operations" }),
    operations_parameters: field.dictionary(z.unknown(), ['*'], { description: 'values the operations name (e.g. a threshold)' }),
    classes: field.parameter(z.array(z.string()).optional(), [kinds.listOfValues], { description: 'class names to keep (all when empty)' }),
    exclude_classes: field.parameter(z.array(z.string()).optional(), [kinds.listOfValues], { description: 'class names to drop' }),
    min_confidence: field.parameter(z.number().min(0).max(1).optional(), [kinds.floatZeroToOne]),
    max_confidence: field.parameter(z.number().min(0).max(1).optional(), [kinds.floatZeroToOne]),
    min_width: optionalNumber('pixels'),
    max_width: optionalNumber('pixels'),
    min_height: optionalNumber('pixels'),
    max_height: optionalNumber('pixels'),
    min_area: optionalNumber('pixels'),
    max_area: optionalNumber('pixels'),
    min_area_ratio: optionalNumber('ratio'),
    max_area_ratio: optionalNumber('ratio'),
  },
  outputs: { predictions: { kinds: [kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction, 'keypoint_detection_prediction', kinds.classificationPrediction] } },
  create: ({ properties, stepName }) => ({
    run: (inputs) => {
      const program = properties.operations;
      const filtered = program ? applyOperations(inputs.predictions, program, inputs.operations_parameters ?? {}) : inputs.predictions;
      if (isClassification(filtered)) {
        if (!program) throw new InvalidInputError({ message: 'predictions are a classification: filter them with a ClassificationFilter operation', stepName, property: 'predictions' });
        return { predictions: filtered };
      }
      if (!isDetections(filtered)) throw new InvalidInputError({ message: 'the operations must leave detections or a classification', stepName, property: 'operations' });
      return { predictions: filterDetections(filtered, {
        classes: inputs.classes,
        excludeClasses: inputs.exclude_classes,
        minConfidence: inputs.min_confidence,
        maxConfidence: inputs.max_confidence,
        minWidth: inputs.min_width,
        maxWidth: inputs.max_width,
        minHeight: inputs.min_height,
        maxHeight: inputs.max_height,
        minArea: inputs.min_area,
        maxArea: inputs.max_area,
        minAreaRatio: inputs.min_area_ratio,
        maxAreaRatio: inputs.max_area_ratio,
      }) };
    },
  }),
});
