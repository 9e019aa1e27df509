import type { VadImage } from '@vad/core';
import { bytesOf, imageLike, pipelineOf } from './pixels.js';

// OpenCV's BGR2GRAY weights in its 14-bit fixed point (R 4899, G 9617, B 1868 of 16384). They are
// exact in float, so libvips' recombination plus 0.5 (its cast truncates) rounds as OpenCV's
// (sum + 8192) >> 14 does: the same grey level for every pixel.
const weights: [number, number, number] = [4899 / 16384, 9617 / 16384, 1868 / 16384];

/** Grey RGB bytes (three equal bands) of RGB `data`, as OpenCV's `cvtColor(BGR2GRAY)` computes them. */
export async function grayBytes(data: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  return bytesOf((await pipelineOf(data, width, height)).recomb([weights, weights, weights]).linear(1, 0.5));
}

/** The image in grey (Y = 0.299 R + 0.587 G + 0.114 B), still three bands: vad images are RGB. */
export async function toGrayscale(image: VadImage): Promise<VadImage> {
  const { data, width, height } = await image.pixels();
  return imageLike(image, await grayBytes(data, width, height));
}
