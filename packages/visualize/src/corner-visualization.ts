import { defineBlock, field, z } from '@vad/core';
import { colorFields, imageFields, predictionsField } from './common-fields.js';
import { paintBoxes } from './paint-boxes.js';

const manifest = {
  ...imageFields,
  ...predictionsField,
  ...colorFields,
  thickness: field.parameter(z.number().int().min(1).max(100).default(4), ['integer'], { description: 'Thickness of the lines in pixels.' }),
  corner_length: field.parameter(z.number().int().min(1).max(1000).default(15), ['integer'], { description: 'Length of the corner lines in pixels.' }),
};

const parameterNames = ['color_palette', 'palette_size', 'custom_colors', 'color_axis', 'thickness', 'corner_length'] as const;

/**
 * Roboflow's `corner_visualization` (supervision's BoxCornerAnnotator): two strokes of
 * `corner_length` along the edges at each corner of a box, centred on the edge as OpenCV's lines are.
 * All strokes are axis-aligned, so they are solid row fills.
 */
export const cornerVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/corner_visualization@v1',
  aliases: ['roboflow_core/corner_visualization@v1', 'CornerVisualization'],
  title: 'Corner Visualization',
  description: 'Marks the four corners of each detection\'s box. Returns a new image.',
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    run: (inputs, context) =>
      paintBoxes(manifest, inputs, parameterNames, context, (canvas, { boxes, parameters, colorOf }) => {
        const thickness = parameters.thickness as number;
        const length = parameters.corner_length as number;
        const half = thickness / 2;
        for (const box of boxes) {
          const color = colorOf(box);
          const [left, top, right, bottom] = [box.x1, box.y1, box.x2, box.y2].map(Math.round) as [number, number, number, number];
          for (const [x, y, dx, dy] of [[left, top, 1, 1], [right, top, -1, 1], [left, bottom, 1, -1], [right, bottom, -1, -1]] as const) {
            // Horizontal stroke from the corner along the top or bottom edge, then the vertical one.
            canvas.fillRect(Math.min(x, x + dx * length) - half, y - half, Math.max(x, x + dx * length) + half, y + half, color);
            canvas.fillRect(x - half, Math.min(y, y + dy * length) - half, x + half, Math.max(y, y + dy * length) + half, color);
          }
        }
      }),
  }),
});
