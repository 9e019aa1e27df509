import { cropDetections, defineBlock, field, InvalidInputError, kinds, ModelLoadError, VadError, z, type VadImage } from '@vad/core';
import { createImageClassifier } from './image-classifier.js';
import { modelSourceSchema, modelStep } from './model-source.js';
import { createObjectDetector } from './object-detector.js';

const detectorFile = { noun: 'detector', howToExport: 'export your detector to ONNX (Ultralytics `yolo export format=onnx`, RF-DETR, YOLOX or NanoDet exports)' };
const classifierFile = { noun: 'classifier', howToExport: 'export your classifier to ONNX (one image input [1, 3, H, W], one score output [1, classes])' };

/**
 * Roboflow's compacted `detection_and_classification@v1`: an object detector, a crop of every
 * box it keeps, and a single-label classifier on each crop, in one step. Like dynamic_crop it adds
 * a level: one `predictions` (the crop's classification) and one `crops` (the crop) per detection.
 * It runs vad's own pieces (the object detection model, dynamic crop, the classification model),
 * so each classification is exactly what ClassificationModel gives on that crop.
 */
export const detectionAndClassification = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/detection_and_classification@v1',
  aliases: ['roboflow_core/detection_and_classification@v1'],
  title: 'Detection And Classification',
  description: 'Detects objects, crops every kept box and classifies each crop (single-label), adding a level: one classification and one crop per detection.',
  dimensionality: 'expand',
  manifest: {
    images: field.image({ aliases: ['image'] }),
    detector_model_id: field.parameter(modelSourceSchema, [kinds.string], { description: 'ONNX detector: a path (or a model id in the models folder), {url, sha256} or {package, file}' }),
    detector_class_agnostic_nms: field.parameter(z.boolean().nullable().default(false), [kinds.boolean]),
    detector_class_filter: field.parameter(z.array(z.string()).nullable().optional(), [kinds.listOfValues], { description: 'the detector classes to crop (default: all)' }),
    detector_confidence: field.parameter(z.number().min(0).max(1).default(0.4), [kinds.floatZeroToOne]),
    detector_iou_threshold: field.parameter(z.number().min(0).max(1).default(0.3), [kinds.floatZeroToOne]),
    max_detections: field.parameter(z.number().int().min(1).default(30), [kinds.integer]),
    max_candidates: field.parameter(z.number().int().min(1).default(3000), [kinds.integer]),
    classifier_model_id: field.parameter(modelSourceSchema, [kinds.string], { description: 'ONNX single-label classifier: a path (or a model id in the models folder), {url, sha256} or {package, file}' }),
    detector_class_names: field.literal(z.array(z.string()).min(1).optional(), { description: 'vad: detector class names in class-id order (default: from the model metadata)' }),
    classifier_class_names: field.literal(z.array(z.string()).min(1).optional(), { description: 'vad: classifier class names in class-id order (default: from the model metadata)' }),
    classifier_confidence: field.parameter(z.number().min(0).max(1).default(0.4), [kinds.floatZeroToOne], {
      description: "accepted as Roboflow's; a single-label answer (its top class) does not depend on it",
    }),
  },
  outputs: {
    predictions: { kinds: [kinds.classificationPrediction], description: "each crop's classification" },
    crops: { kinds: [kinds.image], description: 'one image per detection, whose id is the detection id' },
  },
  create: async ({ stepName, host, properties }) => {
    const detectors = await naming('detector_model_id', () =>
      modelStep({ stepName, host, properties: { model_id: properties.detector_model_id, class_names: properties.detector_class_names } }, detectorFile, createObjectDetector),
    );
    const classifiers = await naming('classifier_model_id', () =>
      modelStep({ stepName, host, properties: { model_id: properties.classifier_model_id, class_names: properties.classifier_class_names } }, classifierFile, createImageClassifier),
    );
    return {
      async run(inputs) {
        const [detector, classifier] = await Promise.all([
          naming('detector_model_id', () => detectors.modelFor(inputs.detector_model_id)),
          naming('classifier_model_id', () => classifiers.modelFor(inputs.classifier_model_id)),
        ]);
        const detections = await detector.detect(inputs.images, {
          confidence: inputs.detector_confidence,
          iouThreshold: inputs.detector_iou_threshold,
          classAgnosticNms: inputs.detector_class_agnostic_nms ?? false,
          classFilter: inputs.detector_class_filter ?? undefined,
          maxDetections: inputs.max_detections,
          maxCandidates: inputs.max_candidates,
        });
        const { crops } = await cropDetections(inputs.images, detections);
        const predictions = [];
        for (const crop of crops as VadImage[]) predictions.push(await classifier.classify(crop));
        return { predictions, crops };
      },
      async dispose() {
        await Promise.all([detectors.dispose(), classifiers.dispose()]);
      },
    };
  },
});

/** modelStep reports problems at `model_id`; this block's two models have their own property names. */
async function naming<T>(property: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (!VadError.isInstance(error) || error.property !== 'model_id') throw error;
    const options = { message: error.message.replace(/^model_id /, `${property} `), stepName: error.stepName, property, path: error.path, cause: error };
    throw ModelLoadError.isInstance(error) ? new ModelLoadError(options) : new InvalidInputError(options);
  }
}
