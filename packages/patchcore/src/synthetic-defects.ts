import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadSharp } from '@vad/core';
import type { MvtecDataset, TestSample } from './dataset.js';
import { createRandom } from './random.js';
import { readImageRgb } from './read-image.js';

/**
 * Defects drawn on normal images, with their masks, so that a configuration can be judged on how
 * well it localises anomalies it has never seen, without any real defect (the `auto` preset, and
 * the validation half of the selection protocol in BENCHMARKS.md):
 * - `cut-paste`: a rectangle of the image itself, flipped and re-exposed, pasted elsewhere;
 * - `blotch`: a smooth-noise (Perlin-like) blob filled with a colour-shifted copy of the image;
 * - `scratch`: a thin curved line, darker or brighter than the surface;
 * - `spot`: a small soft ellipse of a saturated colour.
 * Sizes follow the image's shorter side, so a 2000 px image gets the same defects as a 256 px one.
 */
export const syntheticDefectKinds = ['cut-paste', 'blotch', 'scratch', 'spot'] as const;
export type SyntheticDefectKind = (typeof syntheticDefectKinds)[number];

export interface SyntheticDefect {
  /** RGB, `width × height × 3`. */
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** 0/1 per pixel: where the image was changed. */
  readonly mask: Uint8Array;
  readonly kind: SyntheticDefectKind;
}

type Rgb = { readonly data: Uint8Array; readonly width: number; readonly height: number };
type Random = () => number;
/** An RGBA overlay and where it goes. */
type Overlay = { readonly rgba: Buffer; readonly width: number; readonly height: number; readonly left: number; readonly top: number };

const between = (random: Random, low: number, high: number) => low + (high - low) * random();
const integerBetween = (random: Random, low: number, high: number) => Math.floor(between(random, low, high + 1));

/** One defect of `kind` drawn on `image` (seeded by `random`); retried until its mask covers at least a few pixels. */
export async function drawSyntheticDefect(image: Rgb, kind: SyntheticDefectKind, random: Random): Promise<SyntheticDefect> {
  const sharp = await loadSharp();
  for (let attempt = 0; ; attempt++) {
    const overlay = await overlays[kind](image, random);
    const mask = overlayMask(overlay, image.width, image.height);
    let area = 0;
    for (const value of mask) area += value;
    if (area < 4 && attempt < 8) continue;
    const { data } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .composite([{ input: overlay.rgba, raw: { width: overlay.width, height: overlay.height, channels: 4 }, left: overlay.left, top: overlay.top }])
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: image.width, height: image.height, mask, kind };
  }
}

/** The overlay's alpha (> 25 %) placed in a full-size 0/1 mask. */
function overlayMask(overlay: Overlay, width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < overlay.height; y++) {
    const row = overlay.top + y;
    if (row < 0 || row >= height) continue;
    for (let x = 0; x < overlay.width; x++) {
      const column = overlay.left + x;
      if (column >= 0 && column < width && overlay.rgba[(y * overlay.width + x) * 4 + 3]! > 64) mask[row * width + column] = 1;
    }
  }
  return mask;
}

/** A window of `width × height` at a random place wholly inside the image. */
function placeWindow(image: Rgb, width: number, height: number, random: Random) {
  return { left: integerBetween(random, 0, image.width - width), top: integerBetween(random, 0, image.height - height) };
}

const overlays: Record<SyntheticDefectKind, (image: Rgb, random: Random) => Promise<Overlay>> = {
  async 'cut-paste'(image, random) {
    const sharp = await loadSharp();
    const side = Math.min(image.width, image.height);
    const width = Math.max(4, Math.round(side * between(random, 0.06, 0.18)));
    const height = Math.max(4, Math.round(side * between(random, 0.06, 0.18)));
    const source = placeWindow(image, width, height, random);
    let patch = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).extract({ ...source, width, height });
    if (random() < 0.5) patch = patch.flop();
    if (random() < 0.5) patch = patch.flip();
    const rgba = await patch.linear(between(random, 0.7, 1.3), 0).ensureAlpha(1).raw().toBuffer();
    return { rgba, width, height, ...placeWindow(image, width, height, random) };
  },
  async blotch(image, random) {
    const sharp = await loadSharp();
    const side = Math.min(image.width, image.height);
    const size = Math.max(8, Math.round(side * between(random, 0.12, 0.3)));
    // Smooth noise: a few random values per side inside a zero border (the blob stays inside its
    // window), upsampled by a cubic kernel, then thresholded.
    const cells = integerBetween(random, 3, 5) + 2;
    const inside = (index: number) => index % cells > 0 && index % cells < cells - 1 && index >= cells && index < cells * (cells - 1);
    const noise = Buffer.from(Array.from({ length: cells * cells }, (_, index) => (inside(index) ? Math.floor(random() * 256) : 0)));
    const alpha = await sharp(noise, { raw: { width: cells, height: cells, channels: 1 } })
      .resize(size, size, { kernel: 'cubic', fit: 'fill' })
      .threshold(integerBetween(random, 110, 160))
      .blur(0.8)
      .extractChannel(0)
      .raw()
      .toBuffer();
    const at = placeWindow(image, size, size, random);
    const fill = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .extract({ ...placeWindow(image, size, size, random), width: size, height: size })
      .modulate({ brightness: between(random, 0.5, 1.5), saturation: between(random, 0.5, 2), hue: integerBetween(random, 30, 330) })
      .joinChannel(alpha, { raw: { width: size, height: size, channels: 1 } })
      .raw()
      .toBuffer();
    return { rgba: fill, width: size, height: size, ...at };
  },
  async scratch(image, random) {
    const side = Math.min(image.width, image.height);
    const length = side * between(random, 0.15, 0.4);
    const angle = between(random, 0, Math.PI);
    const [cx, cy] = [between(random, 0.15, 0.85) * image.width, between(random, 0.15, 0.85) * image.height];
    const [dx, dy] = [(Math.cos(angle) * length) / 2, (Math.sin(angle) * length) / 2];
    const bend = length * between(random, -0.25, 0.25);
    const d = `M ${cx - dx} ${cy - dy} Q ${cx - Math.sin(angle) * bend} ${cy + Math.cos(angle) * bend} ${cx + dx} ${cy + dy}`;
    const grey = random() < 0.5 ? integerBetween(random, 0, 50) : integerBetween(random, 205, 255);
    const width = Math.max(1.2, (side / 256) * between(random, 1, 2.5));
    return svgOverlay(image, `<path d="${d}" fill="none" stroke="rgb(${grey},${grey},${grey})" stroke-width="${width.toFixed(2)}" stroke-linecap="round"/>`);
  },
  async spot(image, random) {
    const side = Math.min(image.width, image.height);
    const [rx, ry] = [side * between(random, 0.015, 0.05), side * between(random, 0.015, 0.05)];
    const [cx, cy] = [between(random, 0.1, 0.9) * image.width, between(random, 0.1, 0.9) * image.height];
    const channel = () => integerBetween(random, 0, 255);
    const blur = ((side / 256) * 0.8).toFixed(2);
    return svgOverlay(
      image,
      `<filter id="soft"><feGaussianBlur stdDeviation="${blur}"/></filter><ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" transform="rotate(${integerBetween(random, 0, 179)} ${cx} ${cy})" fill="rgb(${channel()},${channel()},${channel()})" fill-opacity="${between(random, 0.75, 1).toFixed(2)}" filter="url(#soft)"/>`,
    );
  },
};

/** An SVG drawing over the whole image, rasterised by libvips (librsvg). */
async function svgOverlay(image: Rgb, body: string): Promise<Overlay> {
  const sharp = await loadSharp();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${image.width}" height="${image.height}">${body}</svg>`;
  const rgba = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer();
  return { rgba, width: image.width, height: image.height, left: 0, top: 0 };
}

/**
 * A validation set in the MVTec layout under `folder`: the normal images as `test/good` and, for
 * each, `perImage` synthetic defects (kinds in turn) as `test/<kind>` with their masks. Returns it
 * as a dataset (`train` empty). Deterministic for a seed.
 */
export async function writeSyntheticValidation(normals: readonly string[], folder: string, options: { seed?: number; perImage?: number } = {}): Promise<MvtecDataset> {
  const { seed = 0, perImage = 1 } = options;
  const sharp = await loadSharp();
  const random = createRandom(seed ^ 0x5eed);
  const test: TestSample[] = [];
  await mkdir(path.join(folder, 'test', 'good'), { recursive: true });
  for (const kind of syntheticDefectKinds) {
    await mkdir(path.join(folder, 'test', kind), { recursive: true });
    await mkdir(path.join(folder, 'ground_truth', kind), { recursive: true });
  }
  let drawn = 0;
  for (const [index, file] of normals.entries()) {
    const image = await readImageRgb(file);
    const name = `${String(index).padStart(4, '0')}`;
    const raw = (data: Uint8Array, channels: 1 | 3) => sharp(data, { raw: { width: image.width, height: image.height, channels } }).png({ compressionLevel: 1 }).toBuffer();
    const goodPath = path.join(folder, 'test', 'good', `${name}.png`);
    await writeFile(goodPath, await raw(image.data, 3));
    test.push({ path: goodPath, defect: 'good', maskPath: undefined });
    for (let copy = 0; copy < perImage; copy++) {
      const kind = syntheticDefectKinds[drawn++ % syntheticDefectKinds.length]!;
      const defect = await drawSyntheticDefect(image, kind, random);
      const imagePath = path.join(folder, 'test', kind, `${name}-${copy}.png`);
      const maskPath = path.join(folder, 'ground_truth', kind, `${name}-${copy}_mask.png`);
      await writeFile(imagePath, await raw(defect.data, 3));
      await writeFile(maskPath, await raw(defect.mask.map((value) => value * 255), 1));
      test.push({ path: imagePath, defect: kind, maskPath });
    }
  }
  return { root: folder, train: [], test };
}
