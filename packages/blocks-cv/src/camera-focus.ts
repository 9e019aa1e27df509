import type { VadImage } from '@vad/core';
import { grayBytes } from './grayscale.js';
import { bandOf, bytesOf, imageLike, pipelineOf } from './pixels.js';

/**
 * Brenner's focus measure as Roboflow's `camera_focus@v1` computes it: per pixel the larger of the
 * positive differences two pixels apart, I(x+2) − I(x) and I(y+2) − I(y) (0 in the last two
 * columns and rows), squared; the measure is its mean. In libvips: a [−1 0 1] convolution clips the
 * negative differences at 0, a shift aligns them to Roboflow's positions, a lighten composite takes
 * the larger, and the squares' sum comes from libvips' statistics.
 */
export async function brennerFocus(image: VadImage): Promise<{ image: VadImage; focus_measure: number }> {
  const { data, width, height } = await image.pixels();
  const gray = await grayBytes(data, width, height);
  const difference = async (horizontal: boolean) => {
    const kernel = horizontal ? [0, 0, 0, -1, 0, 1, 0, 0, 0] : [0, -1, 0, 0, 0, 0, 0, 1, 0];
    const centred = await bytesOf((await pipelineOf(gray, width, height)).convolve({ width: 3, height: 3, kernel, scale: 1 }));
    // Roboflow writes I(x+2) − I(x) at x; the centred difference sits at x + 1.
    if (horizontal ? width < 3 : height < 3) return new Uint8Array(gray.length);
    const region = horizontal ? { left: 1, top: 0, width: width - 2, height } : { left: 0, top: 1, width, height: height - 2 };
    const pad = horizontal ? { right: 2 } : { bottom: 2 };
    const shifted = await bytesOf((await pipelineOf(centred, width, height)).extract(region));
    return bytesOf((await pipelineOf(shifted, region.width, region.height)).extend({ ...pad, background: { r: 0, g: 0, b: 0 } }));
  };
  const [horizontal, vertical] = await Promise.all([difference(true), difference(false)]);
  const larger = await bytesOf((await pipelineOf(horizontal, width, height)).composite([{ input: Buffer.from(vertical.buffer, vertical.byteOffset, vertical.byteLength), raw: { width, height, channels: 3 }, blend: 'lighten' }]));
  const band = await bandOf(await pipelineOf(larger, width, height));
  const stats = await (await pipelineOf(band, width, height, 1)).stats();
  const { squaresSum, max } = stats.channels[0]!;
  const focus = squaresSum / (width * height);
  // Roboflow's picture: the squares scaled to 0..255 by their maximum and truncated. Squaring has no
  // sharp op, so it is a 256-entry table over the difference (the one per-pixel pass in JS).
  const table = new Uint8Array(256);
  for (let v = 0; v < 256; v++) table[v] = max === 0 ? 0 : Math.floor(((v * v) / (max * max)) * 255);
  const picture = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < band.length; i++, j += 3) picture[j] = picture[j + 1] = picture[j + 2] = table[band[i]!]!;
  return { image: imageLike(image, picture), focus_measure: focus };
}
