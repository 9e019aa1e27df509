import { defineBlock, field, z } from '@vad/core';
import { imageFields, predictionsField, readBoxes } from './common-fields.js';
import { RgbCanvas } from './render/canvas.js';
import { filterBoxes } from './render/filter-regions.js';

const manifest = {
  ...imageFields,
  ...predictionsField,
  kernel_size: field.parameter(z.number().int().min(1).max(1001).default(15), ['integer'], {
    description: 'Size of the averaging (box) kernel used for blurring, in pixels.',
  }),
};

const parameterNames = ['kernel_size'] as const;

/**
 * Roboflow's `blur_visualization` (supervision's BlurAnnotator, `cv2.blur`): each box's region
 * replaced by its box-filtered (mean of a kernel_size square) self, by a libvips convolution of
 * that region alone. libvips's kernel is centred, so an even kernel_size is rounded up to odd
 * (OpenCV anchors an even kernel half a pixel off centre); a kernel larger than the region is
 * shrunk to it (libvips needs the region to hold the kernel).
 */
export const blurVisualization = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/blur_visualization@v1',
  aliases: ['roboflow_core/blur_visualization@v1', 'BlurVisualization'],
  title: 'Blur Visualization',
  description: 'Blurs the region of each detection (a box filter). Returns a new image.',
  manifest,
  outputs: { image: { kinds: ['image'] } },
  create: () => ({
    async run(inputs, context) {
      const drawing = readBoxes(manifest, inputs, parameterNames, context);
      if (!drawing) return { image: inputs.image };
      const kernelSize = drawing.parameters.kernel_size as number;
      const canvas = await RgbCanvas.fromImage(inputs.image);
      await filterBoxes(canvas, drawing.boxes, async (region, size) => {
        const odd = Math.min(kernelSize | 1, (Math.min(size.width, size.height) - 1) | 1);
        if (odd < 3) return region.raw().toBuffer();
        return region.convolve({ width: odd, height: odd, kernel: new Array<number>(odd * odd).fill(1) }).raw().toBuffer();
      });
      return { image: canvas.toImage() };
    },
  }),
});
