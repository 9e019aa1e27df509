import { VadImage, loadSharp } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { borderMedian, minimumHeight, toTesseractImage } from './tesseract-image.js';

/** A w×h RGB image of colour `fill` with a `box` of colour `ink`. */
function image(width: number, height: number, fill: [number, number, number], ink?: { color: [number, number, number]; left: number; top: number; right: number; bottom: number }) {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = ink && x >= ink.left && x < ink.right && y >= ink.top && y < ink.bottom;
      data.set(inside ? ink.color : fill, (y * width + x) * 3);
    }
  }
  return VadImage.fromPixels({ data, width, height });
}

describe('toTesseractImage', () => {
  it('takes the median of the border per channel as the background, even where ink touches the edge', async () => {
    // A 10×6 image, 26 border pixels; ink covers 6 of them (the left column), so the median is the fill.
    const picture = image(10, 6, [200, 180, 160], { color: [10, 20, 30], left: 0, top: 0, right: 1, bottom: 6 });
    const { data } = await picture.pixels();
    expect(borderMedian(data, 10, 6)).toEqual([200, 180, 160]);
  });

  it('pads a large image with its background and maps boxes back to its pixels', async () => {
    const sharp = await loadSharp();
    const picture = image(200, 100, [240, 240, 240], { color: [0, 0, 0], left: 50, top: 40, right: 80, bottom: 60 });
    const prepared = await toTesseractImage(picture, sharp);
    expect(prepared.scale).toBe(1);
    expect(prepared.padding).toBe(10);
    const header = `P6\n220 120\n255\n`;
    expect(prepared.bytes.subarray(0, header.length).toString('ascii')).toBe(header);
    expect(prepared.bytes.length).toBe(header.length + 220 * 120 * 3);
    // The margin's first pixel is the background; the ink sits at its place plus the padding.
    expect([...prepared.bytes.subarray(header.length, header.length + 3)]).toEqual([240, 240, 240]);
    const inkAt = header.length + ((40 + 10) * 220 + (50 + 10)) * 3;
    expect([...prepared.bytes.subarray(inkAt, inkAt + 3)]).toEqual([0, 0, 0]);
    expect(prepared.toImage({ x0: 60, y0: 50, x1: 90, y1: 70 })).toEqual({ left: 50, top: 40, right: 80, bottom: 60 });
    // Boxes reaching into the margin are clipped to the image.
    expect(prepared.toImage({ x0: 0, y0: 0, x1: 300, y1: 300 })).toEqual({ left: 0, top: 0, right: 200, bottom: 100 });
  });

  it('enlarges an image shorter than the minimum by a whole factor and divides boxes by it', async () => {
    const sharp = await loadSharp();
    const picture = image(90, 20, [255, 255, 255]);
    const prepared = await toTesseractImage(picture, sharp);
    expect(prepared.scale).toBe(Math.ceil(minimumHeight / 20));
    const width = 90 * prepared.scale + 2 * prepared.padding;
    const height = 20 * prepared.scale + 2 * prepared.padding;
    expect(prepared.bytes.subarray(0, 20).toString('ascii').startsWith(`P6\n${width} ${height}\n`)).toBe(true);
    const s = prepared.scale;
    const p = prepared.padding;
    expect(prepared.toImage({ x0: p + 3 * s, y0: p + 2 * s, x1: p + 30 * s, y1: p + 18 * s })).toEqual({ left: 3, top: 2, right: 30, bottom: 18 });
  });
});
