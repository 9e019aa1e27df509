import { z } from 'zod';
import { defineBlock, field } from '../blocks.js';
import type { VadImage } from '../image.js';
import { kinds } from '../kinds.js';
import { flipImage, resizeImage, rotateImage } from './image-geometry.js';

// Null (from a selector) is Roboflow's None: a size derived from the aspect, no rotation, no flip.
const side = z.number().int().min(1).max(16384).nullable().default(640);

/**
 * Roboflow's `image_preprocessing@v1`: one resize, rotation or flip per step, in libvips. A
 * resize stretches to width × height (both given) or keeps the aspect (one of them null).
 * Rotation is counter-clockwise for positive degrees, as Roboflow's OpenCV call turns it.
 */
export const imagePreprocessing = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/image_preprocessing@v1',
  aliases: ['roboflow_core/image_preprocessing@v1'],
  title: 'Image Preprocessing',
  description: 'Resizes (stretched to width × height), rotates (positive degrees counter-clockwise, canvas grown to hold the image) or flips an image.',
  manifest: {
    image: field.image({ aliases: ['images'] }),
    task_type: field.literal(z.enum(['resize', 'rotate', 'flip']), { description: 'resize, rotate or flip' }),
    width: field.parameter(side, [kinds.integer], { description: 'resize: the width (null: from height, keeping the aspect)' }),
    height: field.parameter(side, [kinds.integer], { description: 'resize: the height (null: from width, keeping the aspect)' }),
    rotation_degrees: field.parameter(z.number().int().min(-360).max(360).nullable().default(90), [kinds.integer], {
      description: 'rotate: degrees, positive counter-clockwise (OpenCV’s sign, which Roboflow’s rotation follows)',
    }),
    flip_type: field.parameter(z.enum(['vertical', 'horizontal', 'both']).nullable().default('vertical'), [kinds.string], {
      description: 'flip: vertical (upside down), horizontal (mirrored) or both',
    }),
  },
  outputs: { image: { kinds: ['image'] } },
  create: ({ properties }) => ({
    async run({ image, width, height, rotation_degrees, flip_type }) {
      return { image: await preprocess(image, properties.task_type!, { width, height, rotation_degrees, flip_type }) };
    },
  }),
});

type Task = 'resize' | 'rotate' | 'flip';
interface TaskParameters {
  width?: number | null;
  height?: number | null;
  rotation_degrees?: number | null;
  flip_type?: 'vertical' | 'horizontal' | 'both' | null;
}

function preprocess(image: VadImage, task: Task, { width, height, rotation_degrees, flip_type }: TaskParameters): Promise<VadImage> | VadImage {
  if (task === 'rotate') return rotation_degrees ? rotateImage(image, rotation_degrees) : image;
  if (task === 'flip') return flip_type ? flipImage(image, flip_type) : image;
  if (width == null && height == null) return image;
  return resizeImage(image, {
    width: width ?? Math.max(1, Math.trunc((image.width * height!) / image.height)),
    height: height ?? Math.max(1, Math.trunc((image.height * width!) / image.width)),
  });
}
