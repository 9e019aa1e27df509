import { loadSharp, VadImage } from '@vad/core';
import type { Sharp } from 'sharp';

/** A libvips pipeline over interleaved 8-bit RGB (or single-band) pixels. */
export async function pipelineOf(data: Uint8Array, width: number, height: number, channels: 1 | 3 = 3): Promise<Sharp> {
  const sharp = await loadSharp();
  return sharp(data, { raw: { width, height, channels } });
}

/** The pipeline's pixels as bytes (alpha that a composite added is dropped). */
export async function bytesOf(pipeline: Sharp): Promise<Uint8Array> {
  const buffer = await pipeline.removeAlpha().raw().toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** One band of an RGB pipeline's result, as width × height bytes. */
export async function bandOf(pipeline: Sharp, band: 0 | 1 | 2 = 0): Promise<Uint8Array> {
  const buffer = await pipeline.extractChannel(band).toColourspace('b-w').raw().toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * `source` with new pixels of its size: the same id, lineage and video frame, as Roboflow's
 * processed images keep their parent and video metadata (a processed crop still maps back to its
 * parent, a processed frame is still that frame).
 */
export function imageLike(source: VadImage, data: Uint8Array): VadImage {
  return source.withPixels({ data, width: source.width, height: source.height });
}

/** A `size × size` kernel (sharp takes 3 × 3 at least) from per-tap weights. */
export function squareKernel(size: number, weight: (dx: number, dy: number) => number) {
  const kernel: number[] = [];
  const half = Math.floor(size / 2);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) kernel.push(weight(x - half, y - half));
  return { width: size, height: size, kernel };
}
