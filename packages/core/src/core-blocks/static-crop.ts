import type { VadImage } from '../image.js';
import { roundHalfEven } from '../round-half-even.js';

/** A crop region by its centre and size, in pixels. */
export interface CentredRegion {
  readonly x_center: number;
  readonly y_center: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The static crop both absolute_static_crop and relative_static_crop take: Roboflow's corners
 * (`x_min = round(x_center - width / 2)`, `x_max = x_min + width`), clipped to the image. The crop
 * keeps its offset in the parent. Null when nothing of it lies inside the image (Roboflow's None).
 */
export async function takeStaticCrop(image: VadImage, region: CentredRegion): Promise<VadImage | null> {
  const xMin = roundHalfEven(region.x_center - region.width / 2);
  const yMin = roundHalfEven(region.y_center - region.height / 2);
  const left = Math.max(0, xMin);
  const top = Math.max(0, yMin);
  const right = Math.min(image.width, xMin + region.width);
  const bottom = Math.min(image.height, yMin + region.height);
  if (right <= left || bottom <= top) return null;
  return image.crop({ x: left, y: top, width: right - left, height: bottom - top });
}
