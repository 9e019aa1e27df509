import type { VadImage } from '@vad/core';
import { bandOf, bytesOf, pipelineOf } from './pixels.js';

export type Rgb = readonly [number, number, number];

/**
 * A colour as Roboflow's pixel_color_count accepts it: `#RRGGBB`, `#RGB`, `(R, G, B)`, or three
 * numbers (a tuple; in JSON an array). Undefined when it is none of these.
 */
export function parseTargetColor(color: unknown): Rgb | undefined {
  if (Array.isArray(color)) {
    if (color.length !== 3 || !color.every((v) => typeof v === 'number' && Number.isInteger(v))) return undefined;
    return [color[0], color[1], color[2]];
  }
  if (typeof color !== 'string') return undefined;
  if (/^#[0-9a-fA-F]{6}$/.test(color)) return [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) as unknown as Rgb;
  if (/^#[0-9a-fA-F]{3}$/.test(color)) return [1, 2, 3].map((i) => parseInt(color[i]! + color[i]!, 16)) as unknown as Rgb;
  const tuple = /^\((.*)\)$/.exec(color);
  if (tuple) {
    const parts = tuple[1]!.split(',').map((part) => part.trim());
    if (parts.length === 3 && parts.every((part) => /^[+-]?\d+$/.test(part))) return parts.map(Number) as unknown as Rgb;
  }
  return undefined;
}

/**
 * The pixels whose every band lies within `tolerance` of `target` (OpenCV's inRange, bounds
 * inclusive), counted in libvips: per band, v − (t + tol) and (t − tol) − v are positive only
 * outside the range; a threshold marks them, a band-or joins the bands, and the mask's sum counts
 * the pixels outside.
 */
export async function countColorPixels(image: VadImage, target: Rgb, tolerance: number): Promise<number> {
  const { data, width, height } = await image.pixels();
  const outside = async (multiplier: number, offsets: number[]) =>
    bytesOf((await pipelineOf(await bytesOf((await pipelineOf(data, width, height)).linear([multiplier, multiplier, multiplier], offsets)), width, height)).threshold(1, { grayscale: false }));
  const [over, under] = await Promise.all([
    outside(1, target.map((t) => -(t + tolerance))),
    outside(-1, target.map((t) => t - tolerance)),
  ]);
  const either = await bytesOf(
    (await pipelineOf(over, width, height)).boolean(Buffer.from(under.buffer, under.byteOffset, under.byteLength), 'or', { raw: { width, height, channels: 3 } }),
  );
  const anyBand = await bandOf((await pipelineOf(either, width, height)).bandbool('or'));
  const stats = await (await pipelineOf(anyBand, width, height, 1)).stats();
  return width * height - Math.round(stats.channels[0]!.sum / 255);
}
