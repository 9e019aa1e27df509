import { field, kinds, z } from '@vad/core';
import { confidenceModeFields, thresholdOf, type ConfidenceMode } from './confidence-mode.js';
import { modelSourceSchema } from './model-source.js';
import type { DetectOptions } from './object-detector.js';

/** The manifest fields Roboflow's detection-style model blocks share (object detection, instance segmentation). */
export const detectorParameters = {
  model_id: field.parameter(modelSourceSchema, [kinds.string], { description: 'ONNX model: a path, {url, sha256} or {package, file}' }),
  class_names: field.literal(z.array(z.string()).min(1).optional(), { description: 'class names in class-id order (default: from the model metadata)' }),
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
};

type DetectorInputs = {
  confidence: number;
  confidence_mode?: ConfidenceMode;
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
