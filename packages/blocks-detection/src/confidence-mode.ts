import { field, InvalidInputError, kinds, z } from '@vad/core';

export type ConfidenceMode = 'best' | 'default' | 'custom';

/**
 * The v3 model blocks' `confidence_mode` and `custom_confidence`, for the modes a block's Roboflow
 * manifest lists. 'default' and 'best' use `confidence` (0.4 unless set): an ONNX export carries
 * no per-class F1-optimal thresholds for 'best' to read.
 */
export function confidenceModeFields<const M extends readonly [ConfidenceMode, ...ConfidenceMode[]]>(modes: M) {
  return {
    confidence_mode: field.parameter(z.enum(modes).optional(), [kinds.string], {
      description: `v3: ${modes.map((mode) => `'${mode}'`).join(', ')}; 'custom' uses custom_confidence, the others use confidence`,
    }),
    custom_confidence: field.parameter(z.number().min(0).max(1).nullable().default(0.4), [kinds.floatZeroToOne], { description: "v3: the threshold when confidence_mode is 'custom'" }),
  };
}

/** The confidence threshold: v3's custom_confidence when confidence_mode is 'custom', else v1/v2's confidence. */
export function thresholdOf(inputs: { confidence: number; confidence_mode?: ConfidenceMode; custom_confidence: number | null }, stepName: string): number {
  if (inputs.confidence_mode !== 'custom') return inputs.confidence;
  if (inputs.custom_confidence == null) {
    throw new InvalidInputError({ message: "custom_confidence is required when confidence_mode is 'custom'", stepName, property: 'custom_confidence' });
  }
  return inputs.custom_confidence;
}
