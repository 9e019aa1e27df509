import { defineBlock, field, InvalidInputError, kinds, z } from '@vad/core';
import { modelSourceSchema, modelStep } from './model-source.js';
import { createSemanticSegmenter } from './segmentation/semantic-segmenter.js';

const semanticFile = {
  noun: 'semantic segmentation model',
  howToExport: 'export your semantic segmentation model to ONNX (one image input [1, 3, H, W]; class scores [1, classes, h, w] or class ids [1, h, w] out)',
};

/**
 * Runs a user's ONNX semantic segmentation export (DeepLabV3+, SegFormer, … with logits, per-pixel
 * probabilities or class ids out) and returns Roboflow's semantic segmentation predictions: one per
 * class present other than 0 (the background), its mask as COCO RLE (`rle_mask`) in image pixels.
 */
export const semanticSegmentationModel = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/semantic_segmentation_model@v1',
  // v1 has only images and model_id; v2 adds confidence_mode and custom_confidence.
  aliases: ['roboflow_core/roboflow_semantic_segmentation_model@v1', 'roboflow_core/roboflow_semantic_segmentation_model@v2'],
  title: 'Semantic Segmentation Model',
  description:
    "Runs an ONNX semantic segmentation export: RGB stretched to its input, (x/255 − 0.5)/0.5; per pixel the top class (ArgMax) and its probability (softmax of logits; probabilities as they are), both in ONNX Runtime, resized to the image nearest-neighbour by libvips. One prediction per class other than 0, with its bounding box, mean pixel confidence and COCO RLE mask.",
  manifest: {
    images: field.image({ aliases: ['image'] }),
    model_id: field.parameter(modelSourceSchema, [kinds.string], { description: 'ONNX semantic segmentation model: a path, an id in the models folder\'s models.json, {url, sha256} or {package, file}' }),
    class_names: field.literal(z.array(z.string()).min(1).optional(), { description: 'class names in class-id order, 0 the background (default: from the model metadata, else the ids)' }),
    input_width: field.literal(z.number().int().min(16).optional(), { description: 'network input width when the model does not fix it (default 512)' }),
    input_height: field.literal(z.number().int().min(16).optional()),
    confidence_mode: field.parameter(z.enum(['best', 'default', 'custom']).default('best'), [kinds.string], {
      description: "v2: 'custom' makes pixels whose top class is less probable than custom_confidence background; 'best' and 'default' keep every pixel's top class (an ONNX export carries no evaluated thresholds)",
    }),
    custom_confidence: field.parameter(z.number().min(0).max(1).nullable().default(0.4), [kinds.floatZeroToOne], { description: "v2: the pixel threshold when confidence_mode is 'custom'" }),
  },
  outputs: {
    inference_id: { kinds: [kinds.string] },
    predictions: { kinds: [kinds.semanticSegmentationPrediction] },
    model_id: { kinds: [kinds.string] },
  },
  create: async (context) => {
    const step = await modelStep(context, semanticFile, createSemanticSegmenter);
    return {
      async run(inputs) {
        let confidence: number | undefined;
        if (inputs.confidence_mode === 'custom') {
          if (inputs.custom_confidence == null) throw new InvalidInputError({ message: "custom_confidence is required when confidence_mode is 'custom'", stepName: context.stepName, property: 'custom_confidence' });
          confidence = inputs.custom_confidence;
        }
        const segmenter = await step.modelFor(inputs.model_id);
        return step.outputs(await segmenter.segment(inputs.images, { confidence }), inputs.model_id!);
      },
      dispose: step.dispose,
    };
  },
});
