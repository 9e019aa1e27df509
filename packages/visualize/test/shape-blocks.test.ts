import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSharp, type VadImage } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { blurVisualization, circleVisualization, colorVisualization, cornerVisualization, dotVisualization, pixelateVisualization } from '../src/index.js';
import { detection } from '../scripts/fixtures.mjs';
import { downscaledPhoto, runBlock } from './photos.js';

const photos = sharedPath('datasets/photos');
const pixel = (image: { data: Uint8Array; width: number }, x: number, y: number) => Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));
const red = { color_palette: 'CUSTOM', custom_colors: ['#FF0000'] };

/** Writes a rendered image to /tmp for looking at (not asserted). */
async function keep(image: VadImage, name: string) {
  const { data, width, height } = await image.pixels();
  const sharp = await loadSharp();
  writeFileSync(`/tmp/viz-${name}.png`, await sharp(Buffer.from(data), { raw: { width, height, channels: 3 } }).png().toBuffer());
}

describe.skipIf(!photos)('shape blocks on a photo (dog.jpg at 640 px)', async () => {
  const image = photos ? await downscaledPhoto(photos, 'dog', 640) : undefined;
  const envelope = () => ({
    image: { width: image!.width, height: image!.height },
    predictions: [
      detection([100, 200, 260, 420], { class: 'dog', class_id: 16, confidence: 0.9 }),
      detection([380, 60, 560, 160], { class: 'car', class_id: 2, confidence: 0.8 }),
    ],
  });
  const before = async () => (await image!.pixels()).data.slice();

  it('dot: the anchor pixel has the palette colour, its outline is black, far pixels are unchanged', async () => {
    const original = await before();
    const out = await runBlock(dotVisualization, { image, predictions: envelope(), ...red, radius: 8, outline_thickness: 2 });
    await keep(out, 'dot');
    const drawn = await out.pixels();
    expect(pixel(drawn, 180, 310)).toEqual([255, 0, 0]);
    expect(pixel(drawn, 470, 110)).toEqual([255, 0, 0]);
    expect(pixel(drawn, 180 + 8, 310)).toEqual([0, 0, 0]);
    expect(pixel(drawn, 180 + 14, 310)).toEqual(pixel(await image!.pixels(), 180 + 14, 310));
    expect(pixel(drawn, 20, 20)).toEqual(pixel(await image!.pixels(), 20, 20));
    const top = await runBlock(dotVisualization, { image, predictions: envelope(), ...red, position: 'TOP_LEFT' });
    expect(pixel(await top.pixels(), 100, 200)).toEqual([255, 0, 0]);
    expect(pixel(await top.pixels(), 180, 310)).toEqual(pixel(await image!.pixels(), 180, 310));
    expect(Buffer.compare(Buffer.from((await image!.pixels()).data), Buffer.from(original))).toBe(0);
  });

  it('circle: passes through the box corners, centre untouched', async () => {
    const out = await runBlock(circleVisualization, { image, predictions: envelope(), ...red, thickness: 4 });
    await keep(out, 'circle');
    const drawn = await out.pixels();
    const radius = Math.round(Math.hypot(160, 220) / 2); // 136
    expect(pixel(drawn, 180 + radius, 310)).toEqual([255, 0, 0]);
    expect(pixel(drawn, 180, 310 - radius)).toEqual([255, 0, 0]);
    expect(pixel(drawn, 180, 310)).toEqual(pixel(await image!.pixels(), 180, 310));
  });

  it('corner: strokes of corner_length at each corner, the middle of an edge untouched', async () => {
    const out = await runBlock(cornerVisualization, { image, predictions: envelope(), ...red, thickness: 4, corner_length: 20 });
    await keep(out, 'corner');
    const drawn = await out.pixels();
    for (const [x, y] of [[100, 200], [115, 200], [100, 215], [259, 419], [245, 419], [259, 405]] as const) expect(pixel(drawn, x, y), `${x},${y}`).toEqual([255, 0, 0]);
    expect(pixel(drawn, 180, 200)).toEqual(pixel(await image!.pixels(), 180, 200));
    expect(pixel(drawn, 125, 200)).toEqual(pixel(await image!.pixels(), 125, 200));
  });

  it('color: boxes blended with the colour at opacity, outside pixels bit-identical', async () => {
    const out = await runBlock(colorVisualization, { image, predictions: envelope(), ...red, opacity: 0.5 });
    await keep(out, 'color');
    const drawn = await out.pixels();
    const source = await image!.pixels();
    const [r, g, b] = pixel(source, 180, 310) as [number, number, number];
    const [r2, g2, b2] = pixel(drawn, 180, 310) as [number, number, number];
    expect(r2).toBeCloseTo((255 + r) / 2, -0.5);
    expect(g2).toBeCloseTo(g / 2, -0.5);
    expect(b2).toBeCloseTo(b / 2, -0.5);
    let changedOutside = 0;
    for (let y = 0; y < source.height; y++) for (let x = 0; x < 90; x++) if (pixel(drawn, x, y).join() !== pixel(source, x, y).join()) changedOutside++;
    expect(changedOutside).toBe(0);
  });

  function region(image: { data: Uint8Array; width: number }, x0: number, y0: number, x1: number, y1: number) {
    const values: string[] = [];
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) values.push(pixel(image, x, y).join());
    return values;
  }
  /** Mean squared difference of horizontally neighbouring green values: the fine detail a blur removes. */
  const variance = (values: string[]) => {
    const greens = values.map((value) => Number(value.split(',')[1]));
    let sum = 0;
    for (let i = 1; i < greens.length; i++) sum += (greens[i]! - greens[i - 1]!) ** 2;
    return sum / (greens.length - 1);
  };
  const outsideUnchanged = (drawn: { data: Uint8Array; width: number; height: number }, source: { data: Uint8Array; width: number }) => {
    // Everything outside the two boxes, row by row.
    for (let y = 0; y < drawn.height; y++) for (let x = 0; x < drawn.width; x++) {
      const inside = (x >= 100 && x < 260 && y >= 200 && y < 420) || (x >= 380 && x < 560 && y >= 60 && y < 160);
      if (!inside && pixel(drawn, x, y).join() !== pixel(source, x, y).join()) return `${x},${y}`;
    }
    return 'unchanged';
  };

  it('blur: lowers the variance inside each box, leaves outside pixels bit-identical and the input as it was', async () => {
    const original = await before();
    const out = await runBlock(blurVisualization, { image, predictions: envelope(), kernel_size: 15 });
    await keep(out, 'blur');
    const drawn = await out.pixels();
    const source = await image!.pixels();
    expect(variance(region(drawn, 110, 210, 250, 410))).toBeLessThan(variance(region(source, 110, 210, 250, 410)) * 0.3);
    expect(variance(region(drawn, 390, 70, 550, 150))).toBeLessThan(variance(region(source, 390, 70, 550, 150)) * 0.3);
    expect(outsideUnchanged(drawn, source)).toBe('unchanged');
    expect(Buffer.compare(Buffer.from(source.data), Buffer.from(original))).toBe(0);
  });

  it('pixelate: each box becomes blocks of one colour, outside pixels bit-identical', async () => {
    const out = await runBlock(pixelateVisualization, { image, predictions: envelope(), pixel_size: 20 });
    await keep(out, 'pixelate');
    const drawn = await out.pixels();
    const source = await image!.pixels();
    // 160×220 px at 20 px: 8×11 blocks, so at most 88 colours where the photo has thousands.
    expect(new Set(region(drawn, 100, 200, 260, 420)).size).toBeLessThanOrEqual(88);
    expect(new Set(region(source, 100, 200, 260, 420)).size).toBeGreaterThan(1000);
    expect(new Set(region(drawn, 100, 200, 120, 220)).size).toBe(1);
    expect(outsideUnchanged(drawn, source)).toBe('unchanged');
  });
});
