import { field, InvalidInputError, kinds, z } from '@vad/core';
import { modelSourceSchema } from './model-source.js';
import type { DetectOptions } from './object-detector.js';

const confidenceModes = ['best', 'default', 'custom'] as const;

/** The manifest fields Roboflow's detection-style model blocks share (object detection, instance segmentation). */
export const detectorParameters = {
  model_id: field.parameter(modelSourceSchema, [kinds.string], { description: 'ONNX model: a path, {url, sha256} or {package, file}' }),
  class_names: field.literal(z.array(z.string()).min(1).optional(), { description: 'class names in class-id order (default: from the model metadata)' }),
  input_width: field.literal(z.number().int().min(32).optional(), { description: 'network input width when the model does not fix it' }),
  input_height: field.literal(z.number().int().min(32).optional()),
  confidence: field.parameter(z.number().min(0).max(1).default(0.4), [kinds.floatZeroToOne], { description: 'confidence threshold (v1, v2)' }),
  confidence_mode: field.parameter(z.enum(confidenceModes).optional(), [kinds.string], {
    description:
      "v3: 'custom' uses custom_confidence; 'default' and 'best' use confidence (0.4 unless set): an ONNX export carries no per-class F1-optimal thresholds for 'best' to read",
  }),
  custom_confidence: field.parameter(z.number().min(0).max(1).nullable().default(0.4), [kinds.floatZeroToOne], { description: "v3: the threshold when confidence_mode is 'custom'" }),
  iou_threshold: field.parameter(z.number().min(0).max(1).default(0.3), [kinds.floatZeroToOne]),
  class_agnostic_nms: field.parameter(z.boolean().default(false), [kinds.boolean]),
  class_filter: field.parameter(z.array(z.string()).optional(), [kinds.listOfValues]),
  max_detections: field.parameter(z.number().int().min(1).default(300), [kinds.integer]),
  max_candidates: field.parameter(z.number().int().min(1).default(3000), [kinds.integer]),
  disable_active_learning: field.parameter(z.boolean().default(true), [kinds.boolean], { description: 'Accepted for Roboflow compatibility; vad has no active learning' }),
  active_learning_target_dataset: field.parameter(z.string().nullable().optional(), [kinds.string], { description: 'Accepted for Roboflow compatibility; no effect' }),
};

type DetectorInputs = {
  confidence: number;
  confidence_mode?: (typeof confidenceModes)[number];
  custom_confidence: number | null;
  iou_threshold: number;
  class_agnostic_nms: boolean;
  class_filter?: string[];
  max_detections: number;
  max_candidates: number;
};

/** A step's inputs as the detector's options. */
export function detectOptionsOf(inputs: DetectorInputs, stepName: string): DetectOptions {
  return {
  confidence: thresholdOf(inputs, stepName),
    iouThreshold: inputs.iou_threshold,
    classAgnosticNms: inputs.class_agnostic_nms,
    classFilter: inputs.class_filter,
    maxDetections: inputs.max_detections,
    maxCandidates: inputs.max_candidates,
  };
}

/** The confidence threshold: v3's confidence_mode when given, else v1/v2's confidence. */
function thresholdOf(inputs: { confidence: number; confidence_mode?: (typeof confidenceModes)[number]; custom_confidence: number | null }, stepName: string): number {
  if (inputs.confidence_mode !== 'custom') return inputs.confidence;
  if (inputs.custom_confidence == null) {
    throw new InvalidInputError({ message: "custom_confidence is required when confidence_mode is 'custom'", stepName, property: 'custom_confidence' });
  }
  return inputs.custom_confidence;
}
