import { VadImage } from '@vad/core';

/** A grey image from rows of levels (three equal bands). */
export function grayImage(rows: number[][]): VadImage {
  const height = rows.length, width = rows[0]!.length;
  const data = new Uint8Array(width * height * 3);
  rows.flat().forEach((v, i) => data.fill(v, i * 3, i * 3 + 3));
  return VadImage.fromPixels({ data, width, height });
}

/** A random RGB image from a fixed seed. */
export function noiseImage(width: number, height: number, seed = 1): VadImage {
  let state = seed;
  const data = Uint8Array.from({ length: width * height * 3 }, () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 16) & 255);
  return VadImage.fromPixels({ data, width, height });
}

/** Band 0 of an image, as rows. */
export async function levels(image: VadImage): Promise<number[][]> {
  const { data, width, height } = await image.pixels();
  return Array.from({ length: height }, (_, y) => Array.from({ length: width }, (_, x) => data[(y * width + x) * 3]!));
}
