import { defineBlock, field, polygonArea, z, type Detections } from '@vad/core';
import { colorFields, imageFields } from './common-fields.js';
import { createOutlineLookup } from './detection-polygons.js';
import { paintBoxes } from './paint-boxes.js';
import { drawPolygons, type PolygonShape } from './render/draw-polygons.js';

const manifest = {
  ...imageFields,
  predictions: field.selector<Detections>(['instance_segmentation_prediction'], { description: "Instance segmentation predictions; each detection's `points` is its outline." }),
  ...colorFields,
  opacity: field.parameter(z.number().min(0).max(1).default(0.5), ['float_zero_to_one'], { description: 'Opacity of the mask overlay.' }),
};

const parameterNames = ['color_palette', 'palette_size', 'custom_colors', 'color_axis', 'opacity'] as const;

/**
 * Roboflow's `mask_visualization` (supervision's MaskAnnotator): each instance's mask — the area
 * inside its outline — painted in its color at `opacity`, larger masks first so smaller ones show
 * on top. Detections without an outline are not painted. Supervision paints all masks into one
 * copy and blends it once, so an overlap shows the smaller mask's color; here each mask is blended
 * in turn, so an overlap shows both (the smaller on top).
 */
export const maskVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/mask_visualization@v1',
  aliases: ['roboflow_core/mask_visualization@v1', 'MaskVisualization'],
  title: 'Mask Visualization',
  description: "Paints each instance segmentation's mask (the area inside its points) in a translucent color; detections without points are left out. Returns a new image.",
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    run: (inputs, context) =>
      paintBoxes(manifest, inputs, parameterNames, context, async (canvas, { boxes, parameters, colorOf }) => {
        const outlineOf = createOutlineLookup(inputs.predictions, canvas.width, canvas.height);
        const masks = boxes
          .map((box) => ({ box, outline: outlineOf(box) }))
          .filter((entry) => entry.outline && entry.outline.length >= 3)
          .map(({ box, outline }) => ({ box, outline: outline!, area: polygonArea(outline!.map((p) => [p.x, p.y] as const)) }));
        masks.sort((a, b) => b.area - a.area);
        const opacity = parameters.opacity as number;
        const shapes: PolygonShape[] = masks.map(({ box, outline }) => ({ points: outline, color: colorOf(box), paint: 'fill', opacity }));
        await drawPolygons(canvas, shapes);
      }),
  }),
});
