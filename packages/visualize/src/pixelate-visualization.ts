import { defineBlock, field, loadSharp, z } from '@vad/core';
import { imageFields, predictionsField, readBoxes } from './common-fields.js';
import { RgbCanvas } from './render/canvas.js';
import { filterBoxes } from './render/filter-regions.js';

const manifest = {
  ...imageFields,
  ...predictionsField,
  pixel_size: field.parameter(z.number().int().min(1).max(1000).default(20), ['integer'], { description: 'Size of the pixelation blocks in pixels.' }),
};

const parameterNames = ['pixel_size'] as const;

/**
 * Roboflow's `pixelate_visualization` (supervision's PixelateAnnotator): each box's region shrunk
 * by `pixel_size` (libvips averages the pixels of each block) and enlarged back to its size with
 * nearest-neighbour sampling, so it becomes blocks of one color.
 */
export const pixelateVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/pixelate_visualization@v1',
  aliases: ['roboflow_core/pixelate_visualization@v1', 'PixelateVisualization'],
  title: 'Pixelate Visualization',
  description: 'Pixelates the region of each detection. Returns a new image.',
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    async run(inputs, context) {
      const drawing = readBoxes(manifest, inputs, parameterNames, context);
      if (!drawing) return { image: inputs.image };
      const pixelSize = drawing.parameters.pixel_size as number;
      const canvas = await RgbCanvas.fromImage(inputs.image);
      const sharp = await loadSharp();
      await filterBoxes(canvas, drawing.boxes, async (region, size) => {
        const small = { width: Math.max(1, Math.round(size.width / pixelSize)), height: Math.max(1, Math.round(size.height / pixelSize)) };
        const shrunk = await region.resize({ ...small, fit: 'fill', kernel: 'linear' }).raw().toBuffer();
        return sharp(shrunk, { raw: { ...small, channels: 3 } }).resize({ width: size.width, height: size.height, fit: 'fill', kernel: 'nearest' }).raw().toBuffer();
      });
      return { image: canvas.toImage() };
    },
  }),
});
