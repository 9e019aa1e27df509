import { defineBlock, field, z } from '@vad/core';
import { colorFields, imageFields, positionField, predictionsField } from './common-fields.js';
import { paintBoxes } from './paint-boxes.js';
import { anchorPoint, type AnchorPosition } from './detection-boxes.js';
import { circleRequest, drawShapes, type PlacedShape } from './render/draw-shapes.js';

const black = { r: 0, g: 0, b: 0 };

const manifest = {
  ...imageFields,
  ...predictionsField,
  ...colorFields,
  position: positionField('CENTER', 'The anchor position for placing the dot.'),
  radius: field.parameter(z.number().int().min(1).max(500).default(4), ['integer'], { description: 'Radius of the dot in pixels.' }),
  outline_thickness: field.parameter(z.number().int().min(0).max(100).default(0), ['integer'], {
    description: 'Thickness of a black outline around the dot in pixels (0: none).',
  }),
};

const parameterNames = ['color_palette', 'palette_size', 'custom_colors', 'color_axis', 'position', 'radius', 'outline_thickness'] as const;

/** Roboflow's `dot_visualization` (supervision's DotAnnotator): a filled dot at an anchor of each detection. */
export const dotVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/dot_visualization@v1',
  aliases: ['roboflow_core/dot_visualization@v1', 'DotVisualization'],
  title: 'Dot Visualization',
  description: 'Draws a dot at an anchor point of each detection (optionally outlined in black). Returns a new image.',
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    run: (inputs, context) =>
      paintBoxes(manifest, inputs, parameterNames, context, (canvas, { boxes, parameters, colorOf }) => {
        const radius = parameters.radius as number;
        const outline = parameters.outline_thickness as number;
        const shapes: PlacedShape[] = [];
        for (const box of boxes) {
          const { x, y } = anchorPoint(box, parameters.position as AnchorPosition);
          shapes.push({ request: circleRequest(radius, 'filled'), x, y, color: colorOf(box) });
          if (outline > 0) shapes.push({ request: circleRequest(radius, outline), x, y, color: black });
        }
        return drawShapes(canvas, shapes);
      }),
  }),
});
