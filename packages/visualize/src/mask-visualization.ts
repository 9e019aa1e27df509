import { defineBlock, field, polygonArea, z, type Detections } from '@vad/core';
import { colorFields, imageFields } from './common-fields.js';
import { createOutlineLookup, rleCoverage } from './detection-polygons.js';
import { paintBoxes } from './paint-boxes.js';
import { drawPolygons, type PolygonShape } from './render/draw-polygons.js';

const manifest = {
  ...imageFields,
  predictions: field.selector<Detections>(['instance_segmentation_prediction', 'rle_instance_segmentation_prediction'], { description: "Instance segmentation predictions: each detection's `rle_mask` (COCO RLE) or, without one, the area inside its `points`." }),
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
  description: "Paints each instance segmentation's mask (the area inside its points) in a translucent color; an `rle_mask` (Roboflow's v4 instance segmentation) is painted pixel for pixel; detections with neither are left out. Returns a new image.",
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    run: (inputs, context) =>
      paintBoxes(manifest, inputs, parameterNames, context, async (canvas, { boxes, parameters, colorOf }) => {
        const outlineOf = createOutlineLookup(inputs.predictions, canvas.width, canvas.height);
        const opacity = parameters.opacity as number;
        // An RLE mask (Roboflow's v4 instance segmentation) is painted pixel for pixel, holes and all; an outline is filled.
        type Entry = { area: number; paint: PolygonShape | NonNullable<ReturnType<typeof rleCoverage>> & { color: PolygonShape['color'] } };
        const entries: Entry[] = [];
        for (const box of boxes) {
          const coverage = rleCoverage(box, canvas.width, canvas.height);
          if (coverage) {
            if (coverage.area > 0) entries.push({ area: coverage.area, paint: { ...coverage, color: colorOf(box) } });
            continue;
          }
          const outline = outlineOf(box);
          if (!outline || outline.length < 3) continue;
          entries.push({ area: polygonArea(outline.map((p) => [p.x, p.y] as const)), paint: { points: outline, color: colorOf(box), paint: 'fill', opacity } });
        }
        entries.sort((a, b) => b.area - a.area);
        let pending: PolygonShape[] = [];
        for (const { paint } of entries) {
          if ('points' in paint) {
            pending.push(paint);
            continue;
          }
          await drawPolygons(canvas, pending);
          pending = [];
          canvas.blendMask(paint.alpha, paint.width, paint.height, paint.left, paint.top, paint.color, opacity);
        }
        await drawPolygons(canvas, pending);
      }),
  }),
});
