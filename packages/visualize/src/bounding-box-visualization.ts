import { defineBlock, field, z } from '@vad/core';
import { colorFields, imageFields, predictionsField } from './common-fields.js';
import { paintBoxes } from './paint-boxes.js';
import { drawBox, drawCorners, type PlacedCorner } from './render/draw-boxes.js';

const manifest = {
  ...imageFields,
  ...predictionsField,
  ...colorFields,
  thickness: field.parameter(z.number().int().min(1).max(100).default(2), ['integer'], { description: 'Thickness of the box edges in pixels.' }),
  roundness: field.parameter(z.number().min(0).max(1).default(0), ['float_zero_to_one'], {
    description: 'Roundness of the corners: 0 square, 1 a radius of half the shorter side.',
  }),
};

const parameterNames = ['color_palette', 'palette_size', 'custom_colors', 'color_axis', 'thickness', 'roundness'] as const;

/** Roboflow's `bounding_box_visualization`: an outline around each detection. */
export const boundingBoxVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/bounding_box_visualization@v1',
  aliases: ['roboflow_core/bounding_box_visualization@v1', 'BoundingBoxVisualization'],
  title: 'Bounding Box Visualization',
  description: 'Draws a box around each detection, colored by class, index or track. Returns a new image.',
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    run: (inputs, context) =>
      paintBoxes(manifest, inputs, parameterNames, context, async (canvas, { boxes, parameters, colorOf }) => {
        const corners: PlacedCorner[] = [];
        for (const box of boxes) {
          corners.push(...drawBox(canvas, box, { color: colorOf(box), thickness: parameters.thickness as number, roundness: parameters.roundness as number }));
        }
        await drawCorners(canvas, corners);
      }),
  }),
});
