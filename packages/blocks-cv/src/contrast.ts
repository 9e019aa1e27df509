import { buildModel } from '@vad/models';
import type { VadImage } from '@vad/core';
import { graphNodes, graphSession, onnxTypes } from './graph.js';
import { imageLike } from './pixels.js';

/** A table per band, as one ONNX Gather: out[y, x, c] = tables[c · 256 + in[y, x, c]]. */
function buildLookupModel(): Uint8Array {
  const { nodes, op } = graphNodes();
  const index = op('Add', [op('Cast', ['image'], 'index', { to: onnxTypes.int64 }), 'band_offsets'], 'band_index');
  op('Gather', ['tables', index], 'mapped', { axis: 0 });
  return buildModel({
    name: 'band_lookup',
    inputs: [
      { name: 'image', type: 'uint8', shape: ['height', 'width', 3] },
      { name: 'tables', type: 'uint8', shape: [768] },
    ],
    outputs: [{ name: 'mapped', type: 'uint8', shape: ['height', 'width', 3] }],
    nodes,
    initializers: [{ name: 'band_offsets', dims: [3], data: new BigInt64Array([0n, 256n, 512n]) }],
    opset: 17,
  });
}

/** The k-th smallest level (0-based) of a 256-bin histogram. */
function kthLevel(histogram: Float64Array, k: number): number {
  let seen = 0;
  for (let level = 0; level < 256; level++) {
    seen += histogram[level]!;
    if (seen > k) return level;
  }
  return 255;
}

/** numpy's `quantile(values, q)` (linear interpolation between the neighbouring ranks) from a histogram. */
function quantile(histogram: Float64Array, count: number, q: number): number {
  const rank = q * (count - 1);
  const below = Math.floor(rank);
  const low = kthLevel(histogram, below), high = kthLevel(histogram, Math.min(below + 1, count - 1));
  return low + (high - low) * (rank - below);
}

export interface ContrastOptions {
  /** Percent of the pixels to skip at each end (0–50; 0: the band's minimum and maximum). */
  clipLimit: number;
  /** Contrast scale about 128 after the stretch. */
  contrastMultiplier: number;
  /** Brighten the midtones with gamma 1 / 1.3 after the stretch. */
  normalizeBrightness: boolean;
}

/**
 * One band's table, in float32 steps as numpy computes Roboflow's `(x − lo) / (hi − lo) · 255`,
 * `128 + (v − 128) · m`, clip, `(v / 255)^(1 / 1.3) · 255`, clip and truncation to 8 bits; the
 * identity when hi ≤ lo (a flat band is left as it is).
 */
function bandTable(low: number, high: number, { contrastMultiplier, normalizeBrightness }: ContrastOptions): Uint8Array {
  const table = new Uint8Array(256);
  const f = Math.fround;
  const lo = f(low), range = f(f(high) - lo), m = f(contrastMultiplier), gamma = f(1 / 1.3);
  for (let level = 0; level < 256; level++) {
    if (!(high > low)) {
      table[level] = level;
      continue;
    }
    let v = f(f(f(f(level - lo) / range)) * 255);
    if (contrastMultiplier !== 1) v = f(128 + f(f(v - 128) * m));
    if (normalizeBrightness) v = f(f(Math.pow(f(Math.min(Math.max(v, 0), 255) / 255), gamma)) * 255);
    table[level] = Math.trunc(Math.min(Math.max(v, 0), 255));
  }
  return table;
}

/**
 * Roboflow's contrast_enhancement@v1: each band stretched on its own from [lo, hi] to [0, 255]
 * (GIMP's Auto Levels; lo and hi are the band's clip_limit-th and (100 − clip_limit)-th
 * percentiles, or its minimum and maximum), then scaled about 128 and optionally brightened. Not
 * CLAHE and not histogram equalisation: a per-band linear stretch. The band histograms are one
 * counting pass (sharp exposes no libvips histogram); the 256-entry tables are applied in ONNX.
 */
export async function enhanceContrast(image: VadImage, options: ContrastOptions): Promise<VadImage> {
  const { data, width, height } = await image.pixels();
  const histograms = [new Float64Array(256), new Float64Array(256), new Float64Array(256)];
  for (let i = 0; i < data.length; i += 3) {
    histograms[0]![data[i]!]!++;
    histograms[1]![data[i + 1]!]!++;
    histograms[2]![data[i + 2]!]!++;
  }
  const count = width * height;
  const q = options.clipLimit / 100;
  const tables = new Uint8Array(768);
  histograms.forEach((histogram, band) => {
    const low = q > 0 ? quantile(histogram, count, q) : kthLevel(histogram, 0);
    const high = q > 0 ? quantile(histogram, count, 1 - q) : kthLevel(histogram, count - 1);
    tables.set(bandTable(low, high, options), band * 256);
  });
  const session = await graphSession('band lookup', buildLookupModel);
  const outputs = await session.run({ image: { data, dims: [height, width, 3] }, tables: { data: tables, dims: [768] } });
  return imageLike(image, outputs.mapped!.data as Uint8Array);
}
