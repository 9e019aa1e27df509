import { InvalidInputError } from './errors.js';

export interface SliceLayoutOptions {
  imageWidth: number;
  imageHeight: number;
  sliceWidth: number;
  sliceHeight: number;
  overlapRatioWidth: number;
  overlapRatioHeight: number;
  /**
   * `shift` (default, Roboflow's `image_slicer@v2`): a slice that would cross the far border is
   * pushed back inside, so every slice has the full size. `clip` (`image_slicer@v1`): it is cut
   * at the border, so the last slices of a row or column are smaller, and an image smaller than
   * one slice is one slice.
   */
  borders?: 'shift' | 'clip';
}

export interface SliceRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Slice origins along one axis, as Roboflow's `image_slicer@v2`: starts every
 * `slice - floor(overlap * slice)` pixels; a slice that would cross the far border is pushed back
 * inward so that it ends on the border; repeated starts are dropped.
 */
function axisStarts(length: number, slice: number, overlapRatio: number, borders: 'shift' | 'clip'): number[] {
  const stride = slice - Math.floor(overlapRatio * slice);
  const starts: number[] = [];
  for (let start = 0; start < length; start += stride) {
    const pushed = borders === 'clip' ? start : Math.min(start, length - slice);
    if (starts[starts.length - 1] !== pushed) starts.push(pushed);
  }
  return starts;
}

/**
 * The regions an image is cut into: equal slices, row by row, each wholly inside the image.
 * An image smaller than one slice is an error (every slice has the full size, so none fits);
 * resize it first or choose smaller slices.
 */
export function sliceLayout(options: SliceLayoutOptions): SliceRegion[] {
  const { imageWidth, imageHeight, sliceWidth, sliceHeight, overlapRatioWidth, overlapRatioHeight } = options;
  const borders = options.borders ?? 'shift';
  if (borders === 'shift' && (imageWidth < sliceWidth || imageHeight < sliceHeight)) {
    throw new InvalidInputError({
      message: `the image is ${imageWidth}×${imageHeight}, smaller than one ${sliceWidth}×${sliceHeight} slice; choose slice_width ≤ ${imageWidth} and slice_height ≤ ${imageHeight}, or enlarge the image`,
    });
  }
  for (const [name, ratio] of [['overlap_ratio_width', overlapRatioWidth], ['overlap_ratio_height', overlapRatioHeight]] as const) {
    if (!(ratio >= 0 && ratio < 1)) throw new InvalidInputError({ message: `${name} must be in [0, 1), got ${ratio}`, property: name });
  }
  const xs = axisStarts(imageWidth, sliceWidth, overlapRatioWidth, borders);
  const ys = axisStarts(imageHeight, sliceHeight, overlapRatioHeight, borders);
  const regions: SliceRegion[] = [];
  for (const y of ys) {
    for (const x of xs) regions.push({ x, y, width: Math.min(sliceWidth, imageWidth - x), height: Math.min(sliceHeight, imageHeight - y) });
  }
  return regions;
}
