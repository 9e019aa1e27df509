import { defineBlock, field, kinds, z } from '@vad/core';
import { confidenceModeFields } from './confidence-mode.js';
import { detectOptionsOf, detectorParameters } from './detector-parameters.js';
import { createKeypointDetector } from './keypoints/keypoint-detector.js';
import { modelStep } from './model-source.js';

const keypointDetectionPrediction = 'keypoint_detection_prediction';

/**
 * Runs a YOLOv8/YOLO11-pose ONNX export on an image and returns Roboflow's keypoint detection
 * predictions: the object detector's boxes, each with `keypoints` ({x, y, confidence, class_id,
 * class}) in image pixels. Answers to Roboflow's keypoint detection model types; `model_id` is a
 * model source as on the object detection block.
 */
export const keypointDetectionModel = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/keypoint_detection_model@v1',
  // v1's manifest also accepts its short literals; v2 adds the model_id output, v3 confidence_mode ('default' | 'custom').
  aliases: [
    'roboflow_core/roboflow_keypoint_detection_model@v1',
    'RoboflowKeypointDetectionModel',
    'KeypointsDetectionModel',
    'roboflow_core/roboflow_keypoint_detection_model@v2',
    'roboflow_core/roboflow_keypoint_detection_model@v3',
  ],
  title: 'Keypoint Detection Model',
  description:
    'Runs a YOLOv8/YOLO11-pose ONNX export: the object detector (letterbox, confidence, class filter, NMS) finds the boxes; each kept box gets its keypoints, mapped back to image pixels, without those below keypoint_confidence.',
  manifest: {
    images: field.image({ aliases: ['image'] }),
    ...detectorParameters,
    // Roboflow's v3 lists no 'best' for keypoint models.
    ...confidenceModeFields(['default', 'custom']),
    keypoint_confidence: field.parameter(z.number().min(0).max(1).default(0), [kinds.floatZeroToOne], {
      description: 'Confidence threshold to predict a keypoint as visible: keypoints below it are left out',
    }),
    keypoint_names: field.literal(z.union([z.array(z.string()).min(1), z.record(z.string().regex(/^\d+$/), z.array(z.string()).min(1))]).optional(), {
      description:
        "vad: keypoint names in keypoint order, or per class id (default: the export's kpt_names metadata; else COCO's 17 names for 17 keypoints; else '0', '1', …)",
    }),
  },
  outputs: {
    predictions: { kinds: [keypointDetectionPrediction] },
    inference_id: { kinds: [kinds.string] },
    model_id: { kinds: [kinds.string] },
  },
  create: async (context) => {
    // A detection-only export or a wrong class list fails when the workflow is prepared.
    const step = await modelStep(context, keypointModelFile, (options) => createKeypointDetector({ ...options, keypointNames: context.properties.keypoint_names }));
    return {
      async run(inputs) {
        const detector = await step.modelFor(inputs.model_id);
        const options = { ...detectOptionsOf(inputs, context.stepName), keypointConfidence: inputs.keypoint_confidence };
        return step.outputs(await detector.detect(inputs.images, options), inputs.model_id!);
      },
      dispose: step.dispose,
    };
  },
});

const keypointModelFile = {
  noun: 'keypoint detection model',
  howToExport: 'export your pose model to ONNX (Ultralytics `yolo export model=yolo11n-pose.pt format=onnx`)',
};
