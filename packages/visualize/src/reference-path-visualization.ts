import { defineBlock, field, InvalidInputError, z, type VadImage } from '@vad/core';
import { requireColor } from './colors.js';
import { imageFields, readParameters } from './common-fields.js';
import { RgbCanvas } from './render/canvas.js';
import { drawPolygons } from './render/draw-polygons.js';

const manifest = {
  ...imageFields,
  reference_path: field.parameter(z.array(z.array(z.number()).min(2)), ['list_of_values'], {
    description: 'The path as a list of [x, y] points in image pixels (further values in a point are ignored).',
  }),
  color: field.parameter(z.string().default('#5bb573'), ['string'], { description: 'Color of the path (#RRGGBB, rgb(R, G, B), bgr(B, G, R) or a name).' }),
  thickness: field.parameter(z.number().int().positive().max(500).default(2), ['integer'], { description: 'Thickness of the path in pixels (> 0).' }),
};

const parameterNames = ['reference_path', 'color', 'thickness'] as const;

/**
 * Roboflow's `reference_path_visualization`: a fixed polyline (e.g. the expected path of the
 * path-deviation block) drawn on the image, open, its points cut to whole pixels as Roboflow's
 * int32 cast does.
 */
export const referencePathVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/reference_path_visualization@v1',
  aliases: ['roboflow_core/reference_path_visualization@v1'],
  title: 'Reference Path Visualization',
  description: 'Draws reference_path, an open polyline of [x, y] points, in one color and thickness. Returns a new image.',
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    async run(inputs, context) {
      const p = readParameters(manifest, inputs, parameterNames, context.stepName);
      const path = (p.reference_path as number[][]).map(([x, y]) => ({ x: Math.trunc(x!), y: Math.trunc(y!) }));
      if (path.length === 0) throw new InvalidInputError({ message: 'reference_path has no points', stepName: context.stepName, property: 'reference_path' });
      const color = requireColor(String(p.color), { stepName: context.stepName, property: 'color' });
      const canvas = await RgbCanvas.fromImage(inputs.image as VadImage);
      // One point: a dot, as cv2.polylines draws a path of one point.
      const points = path.length === 1 ? [path[0]!, path[0]!] : path;
      await drawPolygons(canvas, [{ points, color, paint: { thickness: p.thickness as number, closed: false } }]);
      return { image: canvas.toImage() };
    },
  }),
});
