import { defineBlock, field, kinds, z } from '@vad/core';
import { decoderNames, type DecoderName } from './decoders/output-tensor.js';
import { detectOptionsOf, detectorParameters } from './detector-parameters.js';
import { modelStep } from './model-source.js';
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
  create: async (context) => {
    const step = await modelStep(context, detectorFile, (options) => createObjectDetector({ ...options, decoder: context.properties.decoder }));
    return {
      async run(inputs) {
        const detector = await step.modelFor(inputs.model_id);
        return step.outputs(await detector.detect(inputs.images, detectOptionsOf(inputs, context.stepName)), inputs.model_id!);
      },
      dispose: step.dispose,
    };
  },
});

const detectorFile = {
  noun: 'detector',
  howToExport: 'export your detector to ONNX (Ultralytics `yolo export format=onnx`, RF-DETR, YOLOX or NanoDet exports)',
};
