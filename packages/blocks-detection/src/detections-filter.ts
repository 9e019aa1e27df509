import { defineBlock, field, kinds, z, type Detection, type Detections } from '@vad/core';

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

/**
 * Keeps the detections of some classes, within confidence and size limits. (Roboflow's
 * `detections_filter@v1` takes a query-language `operations` program instead, so this block does
 * not answer to its name.)
 */
export const detectionsFilter = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/detections_filter@v1',
  title: 'Detections Filter',
  description: 'Keeps detections by class, confidence, box size (pixels) and box area (pixels or share of the image).',
  manifest: {
    predictions: field.selector<Detections>([kinds.objectDetectionPrediction]),
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
  outputs: { predictions: { kinds: [kinds.objectDetectionPrediction] } },
  create: () => ({
    run: (inputs) => ({
      predictions: filterDetections(inputs.predictions, {
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
      }),
    }),
  }),
});
