import { defineBlock, field, InvalidInputError, isClassification, isDetections, kinds, newDetectionId, topClass, z, type Classification, type ClassScore, type SingleLabelClassification, type Detection, type Detections } from '@vad/core';

/** What a crop's classification may be: a classification prediction, or a label (OCR, an LMM) as a string or list of strings. */
type Replacement = unknown;

/** Roboflow's fallback class id when none (or a negative one) is given is Python's sys.maxsize; the largest exact integer here. */
const defaultFallbackClassId = Number.MAX_SAFE_INTEGER;

/**
 * Replaces each detection's class with the top class of the classification of its crop
 * (Roboflow's `detections_classes_replacement@v1`): a generic detector finds the objects, a
 * specialised classifier names them.
 */
export const detectionsClassesReplacement = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/detections_classes_replacement@v1',
  aliases: ['roboflow_core/detections_classes_replacement@v1', 'DetectionsClassesReplacement'],
  title: 'Detections Classes Replacement',
  description:
    "Replaces each detection's class, class id and confidence with the top class of its crop's classification (matched by the classification's parent_id, the crop's detection id; strings are matched by position). Unmatched detections are dropped, or get the fallback class.",
  dimensionality: 'collapse',
  manifest: {
    object_detection_predictions: field.selector<Detections | null | undefined>([kinds.objectDetectionPrediction, 'instance_segmentation_prediction', 'keypoint_detection_prediction'], {
      description: 'the detections whose crops were classified',
    }),
    classification_predictions: field.selector<Replacement[]>([kinds.classificationPrediction, kinds.listOfValues, kinds.string], {
      collapse: true,
      description: 'one classification (or label) per crop',
    }),
    fallback_class_name: field.parameter(z.string().nullable().optional(), [kinds.string]),
    fallback_class_id: field.parameter(z.number().int().nullable().optional(), [kinds.integer]),
  },
  outputs: { predictions: { kinds: [kinds.objectDetectionPrediction, 'instance_segmentation_prediction', 'keypoint_detection_prediction'] } },
  create: ({ stepName }) => ({
    run: (inputs) => ({
      predictions: replaceClasses(inputs.object_detection_predictions, inputs.classification_predictions, {
        fallbackClassName: inputs.fallback_class_name ?? undefined,
        fallbackClassId: inputs.fallback_class_id ?? undefined,
        stepName,
      }),
    }),
  }),
});

export interface ReplaceClassesOptions {
  /** Class for detections without a classification; without it they are dropped. */
  fallbackClassName?: string;
  /** Class id with the fallback class; absent or negative: Number.MAX_SAFE_INTEGER. */
  fallbackClassId?: number;
  stepName?: string;
}

/** The detections renamed by their crops' classifications; each kept detection gets a new detection id. */
export function replaceClasses(detections: Detections | null | undefined, classifications: readonly Replacement[] | null | undefined, options: ReplaceClassesOptions = {}): Detections | null {
  if (detections == null) return null;
  const where = { stepName: options.stepName };
  if (!isDetections(detections)) throw new InvalidInputError({ message: 'object_detection_predictions is not an object detection prediction', ...where, property: 'object_detection_predictions' });
  const empty: Detections = { ...detections, predictions: [] };
  if (!classifications || classifications.length === 0) return empty;

  const fallback: ClassScore | undefined = options.fallbackClassName
    ? { class: options.fallbackClassName, class_id: options.fallbackClassId !== undefined && options.fallbackClassId >= 0 ? options.fallbackClassId : defaultFallbackClassId, confidence: 0 }
    : undefined;
  const first = classifications.find((c) => c != null);
  const byPosition = typeof first === 'string' || Array.isArray(first);
  // Labels (strings) pair with the detections by position; classifications by their parent_id, the id of the detection whose crop they classified.
  const byParent = new Map<string, ClassScore | undefined>();
  if (!byPosition) {
    classifications.forEach((classification, index) => {
      if (classification == null) return;
      if (!isClassification(classification)) {
        throw new InvalidInputError({ message: `classification_predictions[${index}] is neither a classification prediction nor a string`, ...where, property: 'classification_predictions' });
      }
      byParent.set(classification.parent_id, leadingClass(classification, fallback, index, where));
    });
  }

  const predictions: Detection[] = [];
  detections.predictions.forEach((detection, index) => {
    // As Roboflow's engine: a missing label takes the fallback; a detection whose crop has no classification is dropped.
    const chosen = byPosition ? labelAt(classifications[index], fallback) : byParent.get(detection.detection_id);
    if (!chosen) return;
    predictions.push({ ...detection, class: chosen.class, class_id: chosen.class_id, confidence: chosen.confidence, detection_id: newDetectionId() });
  });
  return { ...empty, predictions };
}

/** Single-label: its `top` (the fallback when it has no classes); multi-label: its most confident class, when any class was predicted. */
function leadingClass(classification: Classification, fallback: ClassScore | undefined, index: number, where: { stepName?: string }): ClassScore | undefined {
  if (Array.isArray(classification.predictions)) {
    if (classification.predictions.length === 0) return fallback;
    const single = classification as SingleLabelClassification;
    const top = single.predictions.find((p) => p.class === single.top);
    if (!top) throw new InvalidInputError({ message: `classification_predictions[${index}]: its top class "${single.top}" is not among its predictions`, ...where, property: 'classification_predictions' });
    return { class: top.class, class_id: top.class_id, confidence: top.confidence };
  }
  if (!('predicted_classes' in classification) || classification.predicted_classes.length === 0) return undefined;
  return topClass(classification);
}

/** A string label counts fully (class id 0, confidence 1); a list gives its first string; none, the fallback. */
function labelAt(value: Replacement, fallback: ClassScore | undefined): ClassScore | undefined {
  if (value == null || (Array.isArray(value) && value.length === 0)) return fallback;
  const label = Array.isArray(value) ? value[0] : value;
  return typeof label === 'string' ? { class: label, class_id: 0, confidence: 1 } : undefined;
}
