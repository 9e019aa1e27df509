import { defineBlock, field, kinds, z, type CreateContext, type InferInputs } from '@vad/core';
import { confidenceModeFields, thresholdOf } from './confidence-mode.js';
import { createImageClassifier, type ImageClassifier } from './image-classifier.js';
import { modelSourceSchema, modelStep } from './model-source.js';

const classifierFile = { noun: 'classifier', howToExport: 'export your classifier to ONNX (one image input [1, 3, H, W], one score output [1, classes])' };

/** The manifest both classification blocks share: Roboflow's parameter names, with model_id read as a model source. */
const classifierManifest = {
  images: field.image({ aliases: ['image'] }),
  model_id: field.parameter(modelSourceSchema, [kinds.string], { description: 'ONNX classifier: a path, {url, sha256} or {package, file}' }),
  class_names: field.literal(z.array(z.string()).min(1).optional(), { description: 'class names in class-id order (default: from the model metadata, else the ids)' }),
  input_width: field.literal(z.number().int().min(16).optional(), { description: 'network input width when the model does not fix it (default 224)' }),
  input_height: field.literal(z.number().int().min(16).optional()),
  confidence: field.parameter(z.number().min(0).max(1).default(0.4), [kinds.floatZeroToOne], { description: 'confidence threshold (v1, v2)' }),
  ...confidenceModeFields(['best', 'default', 'custom']),
  // Roboflow's active learning uploads to its platform; accepted so their definitions compile, and unused.
  disable_active_learning: field.parameter(z.boolean().default(true), [kinds.boolean], { description: 'accepted for Roboflow compatibility; vad has no active learning' }),
  active_learning_target_dataset: field.parameter(z.string().optional(), [kinds.string], { description: 'accepted for Roboflow compatibility; unused' }),
};

const classifierOutputs = {
  predictions: { kinds: [kinds.classificationPrediction] },
  inference_id: { kinds: [kinds.string] },
  model_id: { kinds: [kinds.string] },
};

type ClassifierInputs = InferInputs<typeof classifierManifest>;

/**
 * `create` of both classification blocks: opens the classifier per model source (a literal one at
 * once, so a missing file fails when the workflow is prepared) and runs `predict` on each image.
 */
function classifierCreate(predict: (classifier: ImageClassifier, image: ClassifierInputs['images'], threshold: number) => Promise<unknown>) {
  return async (context: CreateContext<typeof classifierManifest>) => {
    const step = await modelStep(context, classifierFile, createImageClassifier);
    return {
      async run(inputs: ClassifierInputs) {
        const threshold = thresholdOf(inputs, context.stepName);
        return step.outputs(await predict(await step.modelFor(inputs.model_id), inputs.images, threshold), inputs.model_id!);
      },
      dispose: step.dispose,
    };
  };
}

/**
 * Runs a user's ONNX image classifier (single-label: softmax, every class best first, `top` and
 * its `confidence`). Answers to Roboflow's classification model types, with `model_id` read as a
 * model source instead of a Roboflow project id.
 */
export const classificationModel = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/classification_model@v1',
  // v2 adds the model_id output, v3 confidence_mode (which cannot change a single-label answer).
  aliases: [
    'roboflow_core/roboflow_classification_model@v1',
    'roboflow_core/roboflow_classification_model@v2',
    'roboflow_core/roboflow_classification_model@v3',
    'ClassificationModel',
    'RoboflowClassificationModel',
  ],
  title: 'Classification Model',
  description: 'Runs an ONNX single-label image classifier (RGB, stretched to its input, ImageNet mean/std; softmax over the classes).',
  // v3 lists no 'best' mode: the top class drives a single-label answer, so no threshold changes it.
  manifest: { ...classifierManifest, ...confidenceModeFields(['default', 'custom']) },
  outputs: classifierOutputs,
  create: classifierCreate((classifier, image) => classifier.classify(image)),
});

/**
 * Runs a user's ONNX multi-label classifier: an independent sigmoid score per class, and
 * `predicted_classes`, those at or above `confidence` (v3: `custom_confidence` when `confidence_mode`
 * is 'custom').
 */
export const multiLabelClassificationModel = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/multi_label_classification_model@v1',
  aliases: [
    'roboflow_core/roboflow_multi_label_classification_model@v1',
    'roboflow_core/roboflow_multi_label_classification_model@v2',
    'roboflow_core/roboflow_multi_label_classification_model@v3',
    'RoboflowMultiLabelClassificationModel',
    'MultiLabelClassificationModel',
  ],
  title: 'Multi-Label Classification Model',
  description: 'Runs an ONNX multi-label image classifier (a sigmoid per class); predicted_classes are the classes scoring at least confidence.',
  manifest: classifierManifest,
  outputs: classifierOutputs,
  create: classifierCreate((classifier, image, confidence) => classifier.classifyMultiLabel(image, { confidence })),
});
