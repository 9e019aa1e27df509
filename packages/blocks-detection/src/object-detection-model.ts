import { defineBlock, field, InvalidInputError, kinds, z } from '@vad/core';
import { confidenceModeFields, thresholdOf } from './confidence-mode.js';
import { decoderNames, type DecoderName } from './decoders/output-tensor.js';
import { inferenceIds, modelCache, modelIdText, modelSourceSchema, resolveAgainstHost } from './model-source.js';
import { createObjectDetector } from './object-detector.js';

/**
 * Runs a user's ONNX detector export (YOLOv5/v8/v11, YOLOX, NanoDet, RF-DETR/DETR layouts) on
 * an image and returns Roboflow predictions. Answers to Roboflow's object detection model types,
 * with `model_id` read as a model source (a path, relative to the host's models folder when it
 * exists there, or `{url, sha256}`) instead of a Roboflow project id.
 */
export const objectDetectionModel = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/object_detection_model@v1',
  // v1's manifest also accepts its short literals; v2 adds the model_id output, v3 confidence_mode.
  aliases: [
    'roboflow_core/roboflow_object_detection_model@v1',
    'RoboflowObjectDetectionModel',
    'ObjectDetectionModel',
    'roboflow_core/roboflow_object_detection_model@v2',
    'roboflow_core/roboflow_object_detection_model@v3',
  ],
  title: 'Object Detection Model',
  description:
    'Runs an ONNX object detector (decoder detected from its outputs or chosen), with letterbox preprocessing, confidence threshold, class filter, class-aware NMS and a detection limit.',
  manifest: {
    images: field.image({ aliases: ['image'] }),
    model_id: field.parameter(modelSourceSchema, [kinds.string], { description: 'ONNX model: a path, {url, sha256} or {package, file}' }),
    class_names: field.literal(z.array(z.string()).min(1).optional(), { description: 'class names in class-id order (default: from the model metadata)' }),
    decoder: field.literal(z.enum(decoderNames as [DecoderName, ...DecoderName[]]).optional(), { description: 'output layout (default: detected from the output shapes)' }),
    input_width: field.literal(z.number().int().min(32).optional(), { description: 'network input width when the model does not fix it' }),
    input_height: field.literal(z.number().int().min(32).optional()),
    confidence: field.parameter(z.number().min(0).max(1).default(0.4), [kinds.floatZeroToOne], { description: 'confidence threshold (v1, v2)' }),
    ...confidenceModeFields(['best', 'default', 'custom']),
    iou_threshold: field.parameter(z.number().min(0).max(1).default(0.3), [kinds.floatZeroToOne]),
    class_agnostic_nms: field.parameter(z.boolean().default(false), [kinds.boolean]),
    class_filter: field.parameter(z.array(z.string()).optional(), [kinds.listOfValues]),
    max_detections: field.parameter(z.number().int().min(1).default(300), [kinds.integer]),
    max_candidates: field.parameter(z.number().int().min(1).default(3000), [kinds.integer]),
    disable_active_learning: field.parameter(z.boolean().default(true), [kinds.boolean], { description: 'Accepted for Roboflow compatibility; vad has no active learning' }),
    active_learning_target_dataset: field.parameter(z.string().nullable().optional(), [kinds.string], { description: 'Accepted for Roboflow compatibility; no effect' }),
  },
  outputs: {
    predictions: { kinds: [kinds.objectDetectionPrediction] },
    inference_id: { kinds: [kinds.string] },
    model_id: { kinds: [kinds.string] },
  },
  create: async ({ stepName, properties, host }) => {
    const detectors = modelCache((source) =>
      createObjectDetector({
        model: resolveAgainstHost(source, host, stepName, detectorFile),
        classNames: properties.class_names,
        decoder: properties.decoder,
        inputWidth: properties.input_width,
        inputHeight: properties.input_height,
        executionProviders: host.executionProviders,
        cacheDir: host.cacheDir,
        stepName,
      }),
    );
    const detectorFor = detectors.get;
    // A literal model is opened now, so a wrong class list or an unknown output layout fails when the workflow is prepared.
    if (properties.model_id !== undefined) await detectorFor(properties.model_id);
    const nextInferenceId = inferenceIds(stepName);
    return {
      async run(inputs) {
        if (inputs.model_id === undefined) throw new InvalidInputError({ message: 'model_id is required', stepName, property: 'model_id' });
        const detector = await detectorFor(inputs.model_id);
        const predictions = await detector.detect(inputs.images, {
          confidence: thresholdOf(inputs, stepName),
          iouThreshold: inputs.iou_threshold,
          classAgnosticNms: inputs.class_agnostic_nms,
          classFilter: inputs.class_filter,
          maxDetections: inputs.max_detections,
          maxCandidates: inputs.max_candidates,
        });
        return {
          predictions,
          inference_id: nextInferenceId(),
          model_id: modelIdText(inputs.model_id),
        };
      },
      dispose: () => detectors.dispose(),
    };
  },
});

const detectorFile = {
  noun: 'detector',
  howToExport: 'export your detector to ONNX (Ultralytics `yolo export format=onnx`, RF-DETR, YOLOX or NanoDet exports)',
};
