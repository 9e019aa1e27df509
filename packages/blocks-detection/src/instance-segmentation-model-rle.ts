import { defineBlock, field, kinds, z } from '@vad/core';
import { detectOptionsOf, detectorParameters } from './detector-parameters.js';
import { modelStep } from './model-source.js';
import { createInstanceSegmenter } from './segmentation/instance-segmenter.js';

/**
 * Roboflow's instance segmentation model v4 and v5: the v1 block's predictions, each with its
 * whole mask as COCO RLE (`rle_mask`, `size` [height, width] of the image) — v4's breaking change,
 * which lets masks of any shape (holes, several parts) come through. Outputs the kinds
 * `rle_instance_segmentation_prediction` and `instance_segmentation_prediction`, as Roboflow does.
 */
export const instanceSegmentationModelRle = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/instance_segmentation_model@v2',
  // v5 (briefly in Roboflow, since withdrawn) forwards mask_decode_mode to the server and may decode
  // at a reduced resolution, but its output is still full-size RLE: the same output as v4 here.
  aliases: ['roboflow_core/roboflow_instance_segmentation_model@v4', 'roboflow_core/roboflow_instance_segmentation_model@v5'],
  title: 'Instance Segmentation Model (RLE masks)',
  description:
    "Runs a YOLOv8/YOLO11-seg ONNX export like the v1 block and gives each prediction its whole mask as COCO RLE (`rle_mask`, at the image's size) beside its outline (`points`).",
  manifest: {
    images: field.image({ aliases: ['image'] }),
    ...detectorParameters,
    mask_decode_mode: field.parameter(z.enum(['accurate', 'tradeoff', 'fast']).default('accurate'), [kinds.string], {
      description: "Accepted for Roboflow compatibility: vad always decodes masks at the image's resolution (Roboflow's 'accurate')",
    }),
    tradeoff_factor: field.parameter(z.number().min(0).max(1).default(0), [kinds.floatZeroToOne], { description: "Accepted for Roboflow compatibility; no effect (it tunes 'tradeoff' decoding)" }),
    enforce_dense_masks_in_inference_models: field.parameter(z.boolean().default(true), [kinds.boolean], {
      description: 'v5: accepted for Roboflow compatibility; no effect',
    }),
  },
  outputs: {
    predictions: { kinds: [kinds.rleInstanceSegmentationPrediction, kinds.instanceSegmentationPrediction] },
    inference_id: { kinds: [kinds.string] },
    model_id: { kinds: [kinds.string] },
  },
  create: async (context) => {
    const step = await modelStep(context, segmenterFile, createInstanceSegmenter);
    return {
      async run(inputs) {
        const segmenter = await step.modelFor(inputs.model_id);
        const predictions = await segmenter.segment(inputs.images, detectOptionsOf(inputs, context.stepName), { rle: true });
        return step.outputs(predictions, inputs.model_id!);
      },
      dispose: step.dispose,
    };
  },
});

const segmenterFile = {
  noun: 'instance segmentation model',
  howToExport: 'export your segmentation model to ONNX (Ultralytics `yolo export model=yolo11n-seg.pt format=onnx`)',
};
