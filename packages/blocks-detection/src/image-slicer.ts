import { defineBlock, field, InvalidInputError, kinds, sliceLayout, z, type VadImage } from '@vad/core';

/**
 * Cuts an image into equal, overlapping slices (Roboflow's `image_slicer@v2` semantics) and adds
 * a dimensionality level: the steps downstream run once per slice. Each slice is a crop that
 * knows its offset in the parent, so detections on it map back (see `vad/detections_stitch@v1`).
 */
const manifest = {
  image: field.image({ aliases: ['images'] }),
    slice_width: field.parameter(z.number().int().min(1).default(640), [kinds.integer], { description: 'slice width in pixels' }),
    slice_height: field.parameter(z.number().int().min(1).default(640), [kinds.integer], { description: 'slice height in pixels' }),
    overlap_ratio_width: field.parameter(z.number().min(0).lt(1).default(0.2), [kinds.floatZeroToOne], { description: 'overlap of neighbouring slices, as a share of the slice width' }),
    overlap_ratio_height: field.parameter(z.number().min(0).lt(1).default(0.2), [kinds.floatZeroToOne], { description: 'overlap of neighbouring slices, as a share of the slice height' }),
};
const outputs = { slices: { kinds: [kinds.image], description: 'one image per slice, each with its offset in the parent' } };

export const imageSlicer = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/image_slicer@v1',
  aliases: ['roboflow_core/image_slicer@v2'],
  title: 'Image Slicer',
  description:
    'Cuts an image into equal overlapping slices (SAHI); border slices are pushed inward so every slice has the full size, duplicates are removed. A slice larger than the image shrinks to it on that side.',
  dimensionality: 'expand',
  manifest,
  outputs,
  create: ({ stepName, host }) => ({
    run: async (inputs) => ({ slices: await sliceImage(inputs.image, { ...inputs, maxSlices: host.maxSlicesPerImage, stepName }) }),
  }),
});

/**
 * Roboflow's `image_slicer@v1`: the same parameters, but slices start every stride from 0 and the
 * last of each row and column are cut at the border (smaller than the others), as supervision's
 * slicer did; an image smaller than one slice is one slice.
 */
export const imageSlicerClipped = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/image_slicer_clipped@v1',
  aliases: ['roboflow_core/image_slicer@v1'],
  title: 'Image Slicer (clipped borders)',
  description: 'Cuts an image into overlapping slices (SAHI) starting every stride from the top left; slices at the right and bottom borders are cut smaller.',
  dimensionality: 'expand',
  manifest,
  outputs,
  create: ({ stepName, host }) => ({
    run: async (inputs) => ({ slices: await sliceImage(inputs.image, { ...inputs, maxSlices: host.maxSlicesPerImage, stepName, borders: 'clip' }) }),
  }),
});

export interface SliceImageOptions {
  slice_width?: number;
  slice_height?: number;
  overlap_ratio_width?: number;
  overlap_ratio_height?: number;
  /** Refuse an image that would need more slices than this (InvalidInputError). */
  maxSlices?: number;
  /** Named in that error. */
  stepName?: string;
  /** `shift` (v2, default) or `clip` (v1): see `sliceLayout`. */
  borders?: 'shift' | 'clip';
}

/** The slices of `image`, row by row; each carries lineage (parent id and offset). */
export async function sliceImage(image: VadImage, options: SliceImageOptions = {}): Promise<VadImage[]> {
  const sliceWidth = options.slice_width ?? 640;
  const sliceHeight = options.slice_height ?? 640;
  const regions = sliceLayout({
    imageWidth: image.width,
    imageHeight: image.height,
    sliceWidth,
    sliceHeight,
    overlapRatioWidth: options.overlap_ratio_width ?? 0.2,
    overlapRatioHeight: options.overlap_ratio_height ?? 0.2,
    borders: options.borders,
  });
  if (options.maxSlices !== undefined && regions.length > options.maxSlices) {
    throw new InvalidInputError({
      message: `the ${image.width}×${image.height} image would be cut into ${regions.length} slices of ${sliceWidth}×${sliceHeight}, more than the limit of ${options.maxSlices} per image: use larger slices or a smaller image`,
      stepName: options.stepName,
      property: 'slice_width',
    });
  }
  await image.pixels();
  return Promise.all(regions.map((region) => image.crop(region)));
}
