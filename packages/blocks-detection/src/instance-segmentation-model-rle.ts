import { defineBlock, kinds } from '@vad/core';
import { createSegmentationStep, segmentationManifest } from './instance-segmentation-model.js';

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
  manifest: segmentationManifest,
  outputs: {
    predictions: { kinds: [kinds.rleInstanceSegmentationPrediction, kinds.instanceSegmentationPrediction] },
    inference_id: { kinds: [kinds.string] },
    model_id: { kinds: [kinds.string] },
  },
  create: createSegmentationStep({ rle: true }),
});
