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
 * With `shift` borders a slice larger than the image shrinks to it on that side (one slice
 * across), as Roboflow's `image_slicer@v2` does.
 */
export function sliceLayout(options: SliceLayoutOptions): SliceRegion[] {
  const { imageWidth, imageHeight, overlapRatioWidth, overlapRatioHeight } = options;
  const borders = options.borders ?? 'shift';
  // v2 shrinks the slice to the image; v1 ('clip') keeps its size and cuts it at the border.
  const sliceWidth = borders === 'shift' ? Math.min(options.sliceWidth, imageWidth) : options.sliceWidth;
  const sliceHeight = borders === 'shift' ? Math.min(options.sliceHeight, imageHeight) : options.sliceHeight;
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
