import { defineBlock, field, InvalidInputError, kinds, z } from '@vad/core';
import { decoderNames, type DecoderName } from './decoders/output-tensor.js';
import { detectOptionsOf, detectorParameters } from './detector-parameters.js';
import { inferenceIds, modelCache, modelIdText, resolveAgainstHost } from './model-source.js';
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
    ...detectorParameters,
    decoder: field.literal(z.enum(decoderNames as [DecoderName, ...DecoderName[]]).optional(), { description: 'output layout (default: detected from the output shapes)' }),
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
        const predictions = await detector.detect(inputs.images, detectOptionsOf(inputs, stepName));
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
