import { InvalidInputError, type VadImage } from '@vad/core';
import { bilateralFilter } from './bilateral.js';
import { fixedPointGaussianKernel } from './gaussian-kernel.js';
import { bytesOf, imageLike, pipelineOf, squareKernel } from './pixels.js';

export const blurTypes = ['average', 'gaussian', 'median', 'bilateral'] as const;
export type BlurType = (typeof blurTypes)[number];

/**
 * OpenCV's blurs as Roboflow's image_blur calls them: `blur` (box), `GaussianBlur(k, 0)`,
 * `medianBlur(k)`, `bilateralFilter(k, 75, 75)`. Box, Gaussian and median run in libvips with
 * OpenCV's kernels and rounding; the bilateral filter has no libvips op and is an ONNX graph.
 */
export async function blurImage(image: VadImage, type: BlurType, size: number, where: { stepName?: string } = {}): Promise<VadImage> {
  const fail = (message: string) => {
    throw new InvalidInputError({ message: `${where.stepName ? `step "${where.stepName}": ` : ''}${message}`, stepName: where.stepName, property: 'kernel_size' });
  };
  if (!Number.isInteger(size) || size < 1) fail(`kernel_size must be a positive integer, got ${size}`);
  if ((type === 'gaussian' || type === 'median') && size % 2 === 0) fail(`kernel_size for a ${type} blur must be odd (OpenCV's rule), got ${size}`);
  if (size > 255) fail(`kernel_size must be at most 255, got ${size}`);
  if (size === 1 && type !== 'bilateral') return image;
  const { data, width, height } = await image.pixels();
  if (type === 'bilateral') return imageLike(image, await bilateralFilter(data, width, height, size, 75, 75));
  const pipeline = await pipelineOf(data, width, height);
  if (type === 'median') return imageLike(image, await bytesOf(pipeline.median(size)));
  // libvips' convolution stays in float until the end of the pipeline, and the cast to 8 bits
  // truncates: adding 0.5 gives OpenCV's round-to-nearest.
  if (type === 'average') {
    // OpenCV's window for an even size reaches one pixel further left (and up) than right (and down).
    const low = -Math.floor(size / 2), high = size - 1 - Math.floor(size / 2);
    const inWindow = (d: number) => d >= low && d <= high;
    const box = squareKernel(Math.max(3, size % 2 === 1 ? size : size + 1), (dx, dy) => (inWindow(dx) && inWindow(dy) ? 1 : 0));
    return imageLike(image, await bytesOf(pipeline.convolve({ ...box, scale: size * size }).linear(1, 0.5)));
  }
  const taps = fixedPointGaussianKernel(size);
  const half = (size - 1) / 2;
  const gaussian = squareKernel(size, (dx, dy) => taps[dx + half]! * taps[dy + half]!);
  return imageLike(image, await bytesOf(pipeline.convolve({ ...gaussian, scale: 65536 }).linear(1, 0.5)));
}
