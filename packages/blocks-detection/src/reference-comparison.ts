import { defineBlock, field, kinds, z } from '@vad/core';
import { compareToReference } from './reference-comparison/compare-to-reference.js';

/** Inspection against a known-good image: aligned robust difference → regions → detections and a difference map. */
export const referenceComparison = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/reference_comparison@v1',
  title: 'Reference Comparison',
  description:
    'Compares an image with a known-good reference of the same size (e.g. a PCB template): binarisation, piecewise-translation alignment, a difference tolerant to small shifts, morphology and connected components give scored detections and an anomaly map.',
  manifest: {
    image: field.image({ description: 'the image under inspection' }),
    reference_image: field.image({ description: 'the known-good reference (template)' }),
    alignment: field.parameter(z.enum(['none', 'translation', 'piecewise']).default('piecewise'), [kinds.string]),
    max_shift: field.parameter(z.number().int().min(0).max(64).default(6), [kinds.integer], { description: 'largest global shift searched, pixels' }),
    binarize_threshold: field.parameter(z.number().min(0).max(255).default(128), [kinds.float]),
    tolerance: field.parameter(z.number().int().min(0).max(16).default(2), [kinds.integer], { description: 'pixels of misalignment forgiven' }),
    opening: field.parameter(z.number().int().min(0).max(8).default(1), [kinds.integer]),
    join_distance: field.parameter(z.number().int().min(0).max(64).default(4), [kinds.integer]),
    box_padding: field.parameter(z.number().int().min(0).max(64).default(12), [kinds.integer]),
    min_area: field.parameter(z.number().int().min(1).default(4), [kinds.integer]),
    min_score: field.parameter(z.number().min(0).max(1).default(0), [kinds.floatZeroToOne]),
  },
  outputs: {
    predictions: { kinds: [kinds.objectDetectionPrediction] },
    anomaly_map: { kinds: [kinds.anomalyMap] },
    alignment: { kinds: [kinds.dictionary], description: '{dx, dy}: the global shift of the reference onto the image' },
  },
  create: ({ stepName }) => ({
    async run(inputs) {
      const result = await compareToReference(inputs.image, inputs.reference_image, {
        alignment: inputs.alignment,
        maxShift: inputs.max_shift,
        binarizeThreshold: inputs.binarize_threshold,
        tolerance: inputs.tolerance,
        opening: inputs.opening,
        joinDistance: inputs.join_distance,
        boxPadding: inputs.box_padding,
        minArea: inputs.min_area,
        minScore: inputs.min_score,
        stepName,
      });
      return { predictions: result.predictions, anomaly_map: result.anomalyMap, alignment: result.alignment };
    },
  }),
});
