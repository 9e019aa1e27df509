import { defineBlock, field, z, type Detections } from '@vad/core';
import { colorFields, imageFields } from './common-fields.js';
import { createOutlineLookup } from './detection-polygons.js';
import { paintBoxes } from './paint-boxes.js';
import { drawBox } from './render/draw-boxes.js';
import { drawPolygons, type PolygonShape } from './render/draw-polygons.js';

const manifest = {
  ...imageFields,
  predictions: field.selector<Detections>(['instance_segmentation_prediction', 'rle_instance_segmentation_prediction'], { description: "Instance segmentation predictions; each detection's `points` is its outline (without points, its `rle_mask`'s outer contour)." }),
  ...colorFields,
  thickness: field.parameter(z.number().int().min(1).max(100).default(2), ['integer'], { description: 'Thickness of the outline in pixels.' }),
};

const parameterNames = ['color_palette', 'palette_size', 'custom_colors', 'color_axis', 'thickness'] as const;

/**
 * Roboflow's `polygon_visualization` (its PolygonAnnotator): each instance's outline drawn in its
 * color. A detection without an outline gets its box, as Roboflow draws detections without masks.
 */
export const polygonVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/polygon_visualization@v1',
  aliases: ['roboflow_core/polygon_visualization@v1', 'PolygonVisualization'],
  title: 'Polygon Visualization',
  description: "Draws each instance segmentation's outline (its points), colored by class, index or track; a detection without points gets its box. Returns a new image.",
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    run: (inputs, context) =>
      paintBoxes(manifest, inputs, parameterNames, context, async (canvas, { boxes, parameters, colorOf }) => {
        const outlineOf = createOutlineLookup(inputs.predictions, canvas.width, canvas.height);
        const thickness = parameters.thickness as number;
        const shapes: PolygonShape[] = [];
        for (const box of boxes) {
          const outline = outlineOf(box);
          if (outline && outline.length >= 2) shapes.push({ points: outline, color: colorOf(box), paint: { thickness, closed: true } });
          // Square corners: drawBox paints them itself and leaves no rounded corner to blend.
          else drawBox(canvas, box, { color: colorOf(box), thickness, roundness: 0 });
        }
        await drawPolygons(canvas, shapes);
      }),
  }),
});
