import { z } from 'zod';
import { defineBlock, field } from '../blocks.js';
import { loadSharp, VadImage } from '../image.js';

/** Resizes an image with libvips; `fit` follows sharp's meaning (fill stretches, inside keeps the aspect). */
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
    async run({ image, width, height }) {
      const sharp = await loadSharp();
      const { data, width: w, height: h } = await image.pixels();
      const { data: out, info } = await sharp(data, { raw: { width: w, height: h, channels: 3 } })
        .resize(width, height, { fit: properties.fit ?? 'fill', kernel: 'lanczos3' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { image: VadImage.fromPixels({ data: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), width: info.width, height: info.height }) };
    },
  }),
});
