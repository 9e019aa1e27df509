import { defineBlock, field, z } from '@vad/core';
import { colorFields, imageFields, predictionsField } from './common-fields.js';
import { paintBoxes } from './paint-boxes.js';
import { boxRegion } from './render/filter-regions.js';

const manifest = {
  ...imageFields,
  ...predictionsField,
  ...colorFields,
  opacity: field.parameter(z.number().min(0).max(1).default(0.5), ['float_zero_to_one'], { description: 'Opacity of the color painted over each box.' }),
};

const parameterNames = ['color_palette', 'palette_size', 'custom_colors', 'color_axis', 'opacity'] as const;

/**
 * Roboflow's `color_visualization` (supervision's ColorAnnotator): each box filled with its color
 * at `opacity`. Supervision paints all boxes into one copy and blends it once, so where boxes
 * overlap the later one's color shows at `opacity`; here each box is blended in turn, so an
 * overlap shows both colors (the later one on top).
 */
export const colorVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/color_visualization@v1',
  aliases: ['roboflow_core/color_visualization@v1', 'ColorVisualization'],
  title: 'Color Visualization',
  description: 'Paints each detection\'s box with a translucent color. Returns a new image.',
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    run: (inputs, context) =>
      paintBoxes(manifest, inputs, parameterNames, context, (canvas, { boxes, parameters, colorOf }) => {
        for (const box of boxes) {
          const region = boxRegion(canvas, box);
          if (!region) continue;
          // A full-coverage mask: the canvas's own blend, at the block's opacity.
          const { left, top, width, height } = region;
          canvas.blendMask(new Uint8Array(width * height).fill(255), width, height, left, top, colorOf(box), parameters.opacity as number);
        }
      }),
  }),
});
