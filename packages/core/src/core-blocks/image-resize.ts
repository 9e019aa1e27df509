import { z } from 'zod';
import { defineBlock, field } from '../blocks.js';
import { resizeImage } from './image-geometry.js';

/**
 * Resizes an image with libvips; `fit` follows sharp's meaning (fill stretches, inside keeps the
 * aspect). Roboflow's image_preprocessing `resize` is this with `fit: fill`, on the same code path.
 */
export const imageResize = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/image_resize@v1',
  title: 'Image Resize',
  description: 'Resizes an image to a width and height.',
  manifest: {
    image: field.image(),
    width: field.parameter(z.number().int().min(1).max(16384), ['integer']),
    height: field.parameter(z.number().int().min(1).max(16384), ['integer']),
    fit: field.literal(z.enum(['fill', 'inside', 'cover', 'contain']).default('fill')),
  },
  outputs: { image: { kinds: ['image'] } },
  create: ({ properties }) => ({
    run: ({ image, width, height }) => resizeImage(image, { width, height, fit: properties.fit }).then((resized) => ({ image: resized })),
  }),
});
