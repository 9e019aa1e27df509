import { defineBlock, field, z } from '@vad/core';
import { colorFields, imageFields, predictionsField } from './common-fields.js';
import { paintBoxes } from './paint-boxes.js';
import { circleRequest, drawShapes, type PlacedShape } from './render/draw-shapes.js';

const manifest = {
  ...imageFields,
  ...predictionsField,
  ...colorFields,
  thickness: field.parameter(z.number().int().min(1).max(100).default(2), ['integer'], { description: 'Thickness of the circle outline in pixels.' }),
};

const parameterNames = ['color_palette', 'palette_size', 'custom_colors', 'color_axis', 'thickness'] as const;

/**
 * Roboflow's `circle_visualization` (supervision's CircleAnnotator): a circle through the corners
 * of each box, centred on it (its radius is half the box's diagonal).
 */
export const circleVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/circle_visualization@v1',
  aliases: ['roboflow_core/circle_visualization@v1', 'CircleVisualization'],
  title: 'Circle Visualization',
  description: 'Draws a circle around each detection, through the corners of its box. Returns a new image.',
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    run: (inputs, context) =>
      paintBoxes(manifest, inputs, parameterNames, context, (canvas, { boxes, parameters, colorOf }) => {
        const shapes: PlacedShape[] = boxes.map((box) => ({
          request: circleRequest(Math.max(1, Math.round(Math.hypot(box.x2 - box.x1, box.y2 - box.y1) / 2)), parameters.thickness as number),
          x: (box.x1 + box.x2) / 2,
          y: (box.y1 + box.y2) / 2,
          color: colorOf(box),
        }));
        return drawShapes(canvas, shapes);
      }),
  }),
});
