// The fixed splits of bench/splits/*.json as datasets: `train` files, `validation` (the held-out
// normals and synthetic defects drawn on them, written once per seed to the temp folder) and `test`.
// DeepPCB's box lists become filled masks there too.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { writeSyntheticValidation } from '../dist/synthetic-defects.js';

export const splitNames = ['hazelnut', 'transistor', 'magnetic-tile', 'deeppcb'];
const shared = process.env.VAD_SHARED ?? path.resolve(import.meta.dirname, '../../../../shared');
const cache = path.join(os.tmpdir(), 'vad-selection');

/** `{ train, validation: MvtecDataset, test: MvtecDataset }`; synthetic defects per validation image: enough for ~60 in all. */
export async function loadSplit(name, { seed = 0 } = {}) {
  const datasets = path.join(shared, 'datasets');
  if (!existsSync(datasets)) throw new Error(`the shared datasets are missing at ${datasets} (set VAD_SHARED)`);
  const split = JSON.parse(readFileSync(path.join(import.meta.dirname, 'splits', `${name}.json`), 'utf8'));
  const absolute = (file) => path.join(datasets, file);
  const test = [];
  for (const sample of split.test) {
    let maskPath = sample.mask && absolute(sample.mask);
    if (sample.boxes) maskPath = await boxMask(absolute(sample.path), absolute(sample.boxes), path.join(cache, name, 'masks'));
    test.push({ path: absolute(sample.path), defect: sample.defect, maskPath });
  }
  const folder = path.join(cache, name, `validation-${seed}-${process.pid}`);
  await rm(folder, { recursive: true, force: true });
  const perImage = Math.max(1, Math.ceil(60 / split.validation.length));
  const validation = await writeSyntheticValidation(split.validation.map(absolute), folder, { seed, perImage });
  return { train: split.train.map(absolute), validation, test: { root: `${name} test`, train: [], test } };
}

/** DeepPCB `x1 y1 x2 y2 type` boxes, filled, as a mask of the image's size. */
async function boxMask(image, boxes, folder) {
  const out = path.join(folder, `${path.parse(image).name}_mask.png`);
  if (existsSync(out)) return out;
  const { width, height } = await sharp(image).metadata();
  const rects = readFileSync(boxes, 'utf8').split('\n').filter((line) => line.trim()).map((line) => {
    const [x1, y1, x2, y2] = line.trim().split(/[\s,]+/).map(Number);
    return `<rect x="${x1}" y="${y1}" width="${x2 - x1}" height="${y2 - y1}" fill="white"/>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="black"/>${rects.join('')}</svg>`;
  await mkdir(folder, { recursive: true });
  await writeFile(out, await sharp(Buffer.from(svg)).greyscale().png().toBuffer());
  return out;
}
