import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalCommand, fitCommand } from '../src/commands.js';
import type { FeatureBackbone } from '../src/backbone.js';
import { texture } from './synthetic-textures.js';
import { createTinyBackbone } from './tiny-backbone.js';

let folder: string;
let backbone: FeatureBackbone;

async function png(data: Buffer, width: number, height: number, channels: 1 | 3 = 3): Promise<Buffer> {
  return sharp(data, { raw: { width, height, channels } }).png().toBuffer();
}

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'vad-commands-'));
  for (const sub of ['train/good', 'test/good', 'test/spot', 'ground_truth/spot']) await mkdir(path.join(folder, sub), { recursive: true });
  for (let index = 0; index < 8; index++) await writeFile(path.join(folder, 'train/good', `${index}.png`), await png(texture(index, false), 64, 64));
  for (let index = 0; index < 3; index++) {
    await writeFile(path.join(folder, 'test/good', `${index}.png`), await png(texture(100 + index, false), 64, 64));
    await writeFile(path.join(folder, 'test/spot', `${index}.png`), await png(texture(200 + index, true), 64, 64));
    const mask = Buffer.alloc(64 * 64);
    for (let y = 12; y < 24; y++) mask.fill(255, y * 64 + 40, y * 64 + 52);
    await writeFile(path.join(folder, 'ground_truth/spot', `${index}_mask.png`), await png(mask, 64, 64, 1));
  }
  backbone = await createTinyBackbone({ inputSize: 64 });
});
afterAll(async () => {
  await backbone.dispose();
  await rm(folder, { recursive: true, force: true });
});

describe('fitCommand and evalCommand', () => {
  it('fits a model file, then evaluates it into an HTML report with overlays', async () => {
    const stages = new Set<string>();
    const fit = await fitCommand({ data: folder, out: path.join(folder, 'models', 'spot.vad'), featureBackbone: backbone, onProgress: (event) => stages.add(event.stage) });
    expect(fit).toMatchObject({ detector: 'patchcore', backbone: 'tiny_test', images: 8, bankSize: 8 * 256 });
    expect(stages.has('features')).toBe(true);
    const report = path.join(folder, 'report');
    const result = await evalCommand({ data: folder, model: fit.out, report, featureBackbone: backbone, galleryPerDefect: 1 });
    expect(result.imageAuroc).toBe(1);
    expect(result.pixelAuroc).toBeGreaterThan(0.9);
    expect(result.aupro).toBeGreaterThan(0.5);
    expect(Object.keys(result.perDefect)).toEqual(['spot']);
    const html = await readFile(result.reportFile, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('image AUROC');
    expect((await readdir(path.join(report, 'gallery'))).sort()).toEqual(['good-0.png', 'spot-0.png']);
    const metrics = JSON.parse(await readFile(path.join(report, 'metrics.json'), 'utf8'));
    expect(metrics.samples).toHaveLength(6);
  });
});
