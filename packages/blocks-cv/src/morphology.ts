import { bandOf, pipelineOf } from './pixels.js';

/** OpenCV's `getStructuringElement(MORPH_ELLIPSE, (size, size))`, row by row (1 = in the element). */
export function ellipseElement(size: number): number[][] {
  const radius = Math.floor(size / 2);
  const inverse = radius ? 1 / (radius * radius) : 0;
  return Array.from({ length: size }, (_, i) => {
    const dy = i - radius;
    const dx = Math.abs(dy) <= radius ? Math.round(radius * Math.sqrt((radius * radius - dy * dy) * inverse)) : 0;
    const from = Math.max(radius - dx, 0), to = Math.min(radius + dx + 1, size);
    return Array.from({ length: size }, (_, j) => (j >= from && j < to ? 1 : 0));
  });
}

/**
 * OpenCV's `morphologyEx(mask, MORPH_OPEN, ellipse)` on the mask's non-zero pixels (erode, then
 * dilate; the result is 0/255), in libvips: with a 0/1 kernel of n taps over a 0/255 mask, a
 * convolution sums 255 · (taps that are set), so "all set" (erosion) is a sum of 255 n and "any
 * set" (dilation) a sum above 0. An even size is padded to the next odd one with the element at
 * OpenCV's anchor (size / 2). libvips replicates the border, which for an ellipse changes nothing:
 * a replicated pixel is one the element covers anyway (OpenCV ignores pixels outside).
 */
export async function openMask(mask: Uint8Array, width: number, height: number, size: number): Promise<Uint8Array> {
  const element = ellipseElement(size);
  const odd = size % 2 === 1 ? size : size + 1;
  const kernel: number[] = [];
  for (let y = 0; y < odd; y++) for (let x = 0; x < odd; x++) kernel.push(element[y]?.[x] ?? 0);
  const taps = kernel.reduce((a, b) => a + b, 0);
  if (odd < 3 || taps <= 1) return binary(mask, width, height);
  const convolve = async (input: Uint8Array, offset: number) =>
    bandOf((await pipelineOf(input, width, height, 1)).convolve({ width: odd, height: odd, kernel, scale: 1, offset }));
  const eroded = await binary(await convolve(await binary(mask, width, height), -(255 * taps - 1)), width, height);
  return binary(await convolve(eroded, 0), width, height);
}

/** 255 where non-zero. */
async function binary(mask: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  return bandOf((await pipelineOf(mask, width, height, 1)).threshold(1));
}
