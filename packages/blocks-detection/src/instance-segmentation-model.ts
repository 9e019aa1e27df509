import { defineBlock, field, kinds, z, type CreateContext, type InferInputs } from '@vad/core';
import { detectOptionsOf, detectorParameters } from './detector-parameters.js';
import { modelStep } from './model-source.js';
import { createInstanceSegmenter } from './segmentation/instance-segmenter.js';

const segmenterFile = {
  noun: 'instance segmentation model',
  howToExport: 'export your segmentation model to ONNX (Ultralytics `yolo export model=yolo11n-seg.pt format=onnx`)',
};

/** The fields of every instance segmentation version: the detector's, plus Roboflow's mask decoding options. */
export const segmentationManifest = {
  images: field.image({ aliases: ['image'] }),
  ...detectorParameters,
  mask_decode_mode: field.parameter(z.enum(['accurate', 'tradeoff', 'fast']).default('accurate'), [kinds.string], {
    description: "Accepted for Roboflow compatibility: vad always decodes masks at the image's resolution (prototypes upsampled bilinearly, cut to the box), close to Roboflow's 'accurate'",
  }),
  tradeoff_factor: field.parameter(z.number().min(0).max(1).default(0), [kinds.floatZeroToOne], { description: "Accepted for Roboflow compatibility; no effect (it tunes 'tradeoff' decoding)" }),
  enforce_dense_masks_in_inference_models: field.parameter(z.boolean().default(true), [kinds.boolean], {
    description: 'v3 and v5: accepted for Roboflow compatibility; no effect',
  }),
};

/** Runs the export on each image; with `rle`, each prediction also carries its whole mask as COCO RLE. */
export function createSegmentationStep({ rle }: { rle: boolean }) {
  return async (context: CreateContext<typeof segmentationManifest>) => {
    // A detection-only export or a wrong class list fails when the workflow is prepared.
    const step = await modelStep(context, segmenterFile, createInstanceSegmenter);
    return {
      async run(inputs: InferInputs<typeof segmentationManifest>) {
        const segmenter = await step.modelFor(inputs.model_id);
        return step.outputs(await segmenter.segment(inputs.images, detectOptionsOf(inputs, context.stepName), { rle }), inputs.model_id!);
      },
      dispose: step.dispose,
    };
  };
}

/**
 * Runs a YOLOv8/YOLO11-seg ONNX export on an image and returns Roboflow's instance segmentation
 * predictions: the object detector's boxes, each with `points`, its mask's outline in image pixels.
 * Answers to Roboflow's instance segmentation model types; `model_id` is a model source as on the
 * object detection block.
 */
export const instanceSegmentationModel = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/instance_segmentation_model@v1',
  // v1's manifest also accepts its short literals; v2 adds the model_id output, v3 confidence_mode.
  aliases: [
    'roboflow_core/roboflow_instance_segmentation_model@v1',
    'RoboflowInstanceSegmentationModel',
    'InstanceSegmentationModel',
    'roboflow_core/roboflow_instance_segmentation_model@v2',
    'roboflow_core/roboflow_instance_segmentation_model@v3',
  ],
  title: 'Instance Segmentation Model',
  description:
    'Runs a YOLOv8/YOLO11-seg ONNX export: the object detector (letterbox, confidence, class filter, NMS) finds the boxes; each kept box gets its mask (sigmoid of its coefficients times the prototypes, cut to the box, threshold 0.5) as a polygon.',
  manifest: segmentationManifest,
  outputs: {
    predictions: { kinds: [kinds.instanceSegmentationPrediction] },
    inference_id: { kinds: [kinds.string] },
    model_id: { kinds: [kinds.string] },
  },
  create: createSegmentationStep({ rle: false }),
});
