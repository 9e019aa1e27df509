import type { VadImage } from '@vad/core';

type Sharp = typeof import('sharp');

/** An image as Tesseract is given it, and the way back from its pixels to the original's. */
export interface TesseractImage {
  /** A binary PPM (P6): Leptonica reads it without a codec, so nothing is compressed to be decompressed. */
  readonly bytes: Buffer;
  readonly scale: number;
  readonly padding: number;
  /** A box Tesseract gave (`x0, y0, x1, y1` in the prepared image), in the original image, clipped to it. */
  toImage(box: { x0: number; y0: number; x1: number; y1: number }): { left: number; top: number; right: number; bottom: number };
}

/** Images shorter than this are enlarged (by a whole factor, at most 4×): Tesseract reads capitals under ~10 px poorly. */
export const minimumHeight = 48;

/**
 * Prepares an image for Tesseract. Colour is kept: Tesseract's Otsu thresholding picks the
 * channel with the most contrast, which finds a label a grey conversion would merge with its
 * surroundings. A small image (a crop of one line) is enlarged, and every image gets a margin of
 * its own background colour (the median of its border pixels): text that touches the edge of a
 * tight crop is otherwise misread (measured here: "LOT 42A7" at 0 px margin read as "| O11 42A/").
 */
export async function toTesseractImage(image: VadImage, sharp: Sharp): Promise<TesseractImage> {
  const pixels = await image.pixels();
  const { width, height } = pixels;
  const scale = height >= minimumHeight ? 1 : Math.min(4, Math.ceil(minimumHeight / height));
  const padding = Math.min(40, Math.max(10, Math.round(0.1 * Math.min(width, height) * scale)));
  const background = borderMedian(pixels.data, width, height);
  let pipeline = sharp(pixels.data, { raw: { width, height, channels: 3 } });
  if (scale > 1) pipeline = pipeline.resize(width * scale, height * scale, { kernel: 'cubic' });
  const { data, info } = await pipeline
    .extend({ top: padding, bottom: padding, left: padding, right: padding, background: { r: background[0], g: background[1], b: background[2] } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const bytes = Buffer.concat([Buffer.from(`P6\n${info.width} ${info.height}\n255\n`, 'ascii'), data]);
  const clip = (value: number, limit: number) => Math.min(limit, Math.max(0, value));
  return {
    bytes,
    scale,
    padding,
    toImage: (box) => ({
      left: clip((box.x0 - padding) / scale, width),
      top: clip((box.y0 - padding) / scale, height),
      right: clip((box.x1 - padding) / scale, width),
      bottom: clip((box.y1 - padding) / scale, height),
    }),
  };
}

/** The per-channel median of the image's outermost pixels: its background where text does not fill it. */
export function borderMedian(data: Uint8Array, width: number, height: number): [number, number, number] {
  const counts = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)] as const;
  let total = 0;
  const add = (x: number, y: number) => {
    const at = (y * width + x) * 3;
    for (let channel = 0; channel < 3; channel++) {
      const histogram = counts[channel]!;
      const value = data[at + channel]!;
      histogram[value] = histogram[value]! + 1;
    }
    total++;
  };
  for (let x = 0; x < width; x++) {
    add(x, 0);
    if (height > 1) add(x, height - 1);
  }
  for (let y = 1; y < height - 1; y++) {
    add(0, y);
    if (width > 1) add(width - 1, y);
  }
  const median = (histogram: Uint32Array) => {
    let seen = 0;
    for (let value = 0; value < 256; value++) {
      seen += histogram[value]!;
      if (2 * seen >= total) return value;
    }
    return 255;
  };
  return [median(counts[0]), median(counts[1]), median(counts[2])];
}
