import { defineBlock, field, z } from '@vad/core';
import { colorFields, imageFields, predictionsField, readColoredBoxes } from './common-fields.js';
import { RgbCanvas } from './render/canvas.js';

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
    async run(inputs, context) {
      const drawing = readColoredBoxes(manifest, inputs, parameterNames, context);
      if (!drawing) return { image: inputs.image };
      const { boxes, parameters, colorOf } = drawing;
      const canvas = await RgbCanvas.fromImage(inputs.image);
      for (const box of boxes) {
        const left = Math.round(box.x1);
        const top = Math.round(box.y1);
        const width = Math.round(box.x2) - left;
        const height = Math.round(box.y2) - top;
        if (width <= 0 || height <= 0) continue;
        // A full-coverage mask: the canvas's own blend, at the block's opacity.
        canvas.blendMask(new Uint8Array(width * height).fill(255), width, height, left, top, colorOf(box), parameters.opacity as number);
      }
      return { image: canvas.toImage() };
    },
  }),
});
