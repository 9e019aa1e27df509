import { z } from 'zod';
import { defineBlock, field } from '../blocks.js';
import { kinds } from '../kinds.js';
import { roundHalfEven } from '../round-half-even.js';
import { takeStaticCrop } from './static-crop.js';

const fraction = z.number().min(0).max(1);

/**
 * Roboflow's relative static crop: centre and size as fractions of the image, rounded to pixels
 * (as Python rounds) and then cropped exactly as absolute_static_crop crops.
 */
export const relativeStaticCrop = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/relative_static_crop@v1',
  // Roboflow's manifest spells its full name "statoic"; that is the literal their definitions carry.
  aliases: ['roboflow_core/relative_statoic_crop@v1', 'RelativeStaticCrop'],
  title: 'Relative Static Crop',
  description: 'Crops a fixed region given as fractions (0–1) of the image: centre and size, clipped to the image; the crop remembers its offset in the parent.',
  manifest: {
    images: field.image({ aliases: ['image'] }),
    x_center: field.parameter(fraction, [kinds.floatZeroToOne], { description: 'centre x, a fraction of the width' }),
    y_center: field.parameter(fraction, [kinds.floatZeroToOne], { description: 'centre y, a fraction of the height' }),
    width: field.parameter(fraction, [kinds.floatZeroToOne], { description: 'a fraction of the width' }),
    height: field.parameter(fraction, [kinds.floatZeroToOne], { description: 'a fraction of the height' }),
  },
  outputs: { crops: { kinds: ['image'] } },
  create: () => ({
    run: async ({ images, x_center, y_center, width, height }) => ({
      crops: await takeStaticCrop(images, {
        x_center: roundHalfEven(images.width * x_center),
        y_center: roundHalfEven(images.height * y_center),
        width: roundHalfEven(images.width * width),
        height: roundHalfEven(images.height * height),
      }),
    }),
  }),
});
