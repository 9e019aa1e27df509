import { defineBlock, field, kinds, z } from '@vad/core';
import { templateMatches } from './match-template.js';

/** Roboflow's Template Matching: OpenCV's normalised cross-correlation (TM_CCOEFF_NORMED), threshold and NMS into detections. */
export const templateMatching = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/template_matching@v1',
  aliases: ['roboflow_core/template_matching@v1'],
  title: 'Template Matching',
  description:
    'Finds a template in an image by OpenCV’s normalised cross-correlation (TM_CCOEFF_NORMED, on grey pixels, in an ONNX graph): a template-sized "template_match" box (confidence 1) at every position scoring at least matching_threshold, optionally thinned by NMS.',
  manifest: {
    image: field.image({ aliases: ['images'], description: 'The image to search' }),
    template: field.image({ aliases: ['templates'], description: 'The template to look for' }),
    matching_threshold: field.parameter(z.number().default(0.8), [kinds.float], { description: 'Lowest TM_CCOEFF_NORMED score (−1 to 1) that is a match' }),
    apply_nms: field.parameter(z.boolean().default(true), [kinds.boolean], { description: 'Apply non-maximum suppression to the matches' }),
    nms_threshold: field.parameter(z.number().min(0).max(1).default(0.5), [kinds.floatZeroToOne], { description: 'IoU above which NMS suppresses a match' }),
  },
  outputs: {
    predictions: { kinds: [kinds.objectDetectionPrediction] },
    number_of_matches: { kinds: [kinds.integer] },
  },
  create: ({ stepName }) => ({
    async run({ image, template, matching_threshold, apply_nms, nms_threshold }) {
      const predictions = await templateMatches(
        image,
        template,
        { matchingThreshold: matching_threshold ?? 0.8, applyNms: apply_nms ?? true, nmsThreshold: nms_threshold ?? 0.5 },
        { stepName },
      );
      return { predictions, number_of_matches: predictions.predictions.length };
    },
  }),
});
