import { z } from 'zod';
import { defineBlock, field } from '../blocks.js';
import { takeStaticCrop } from './static-crop.js';

/** Roboflow's absolute static crop: a fixed region given by its centre and size, in pixels. */
export const absoluteStaticCrop = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/absolute_static_crop@v1',
  aliases: ['roboflow_core/absolute_static_crop@v1', 'AbsoluteStaticCrop'],
  title: 'Absolute Static Crop',
  description: 'Crops a fixed region (centre and size in pixels, clipped to the image); the crop remembers its offset in the parent, and is empty (null) when the region lies outside.',
  manifest: {
    images: field.image({ aliases: ['image'] }),
    x_center: field.parameter(z.number().int(), ['integer']),
    y_center: field.parameter(z.number().int(), ['integer']),
    width: field.parameter(z.number().int().min(1), ['integer']),
    height: field.parameter(z.number().int().min(1), ['integer']),
  },
  outputs: { crops: { kinds: ['image'] } },
  create: () => ({
    run: async ({ images, ...region }) => ({ crops: await takeStaticCrop(images, region) }),
  }),
});
