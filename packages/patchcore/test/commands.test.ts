import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrateCommand } from '../src/calibrate-command.js';
import { evalCommand } from '../src/eval-command.js';
import { fitCommand } from '../src/fit-command.js';
import { loadDetector } from '../src/load-detector.js';
import { readModelFile } from '../src/model-file.js';
import { loadPatchCoreModel } from '../src/patchcore-model.js';
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

describe('fit, eval and calibrate commands', () => {
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

  it("records the scoring in the model: the preset's (default or texture), or one exposure when asked; PaDiM refuses exposure gains", async () => {
    const searched = await fitCommand({ data: folder, out: path.join(folder, 'models', 'searched.vad'), featureBackbone: backbone, preset: 'texture' });
    const single = await fitCommand({ data: folder, out: path.join(folder, 'models', 'single.vad'), featureBackbone: backbone, preset: 'texture', exposureGains: [] });
    const byDefault = await fitCommand({ data: folder, out: path.join(folder, 'models', 'default.vad'), featureBackbone: backbone });
    expect((await loadPatchCoreModel(searched.out)).header.scoring).toEqual({ exposureGains: [0.65, 1.5], imageMedianWeight: 0.5 });
    expect((await loadPatchCoreModel(byDefault.out)).header.scoring).toEqual({ exposureGains: [], imageMedianWeight: 0.5, imageTopShare: 0.01 });
    expect((await loadPatchCoreModel(single.out)).header.scoring).toEqual({ exposureGains: [], imageMedianWeight: 0.5 });
    await expect(fitCommand({ data: folder, out: path.join(folder, 'models', 'padim-gains.vad'), featureBackbone: backbone, detector: 'padim', exposureGains: [] })).rejects.toThrow(
      /exposure gains apply to PatchCore only/,
    );
  });

  it('refuses options the auto preset chooses itself, naming them', async () => {
    const out = path.join(folder, 'models', 'auto.vad');
    await expect(fitCommand({ data: folder, out, preset: 'auto', coresetRatio: 0.1 })).rejects.toThrow(/auto preset chooses the configuration itself; drop coresetRatio/);
    await expect(fitCommand({ data: folder, out, preset: 'auto', featureBackbone: backbone })).rejects.toThrow(/drop featureBackbone/);
    await expect(stat(out)).rejects.toThrow();
  });

  it('calibrates the F1-max threshold on labelled images into a new file, keeping the original and its float16 bank', async () => {
    const original = path.join(folder, 'models', 'half.vad');
    await fitCommand({ data: folder, out: original, featureBackbone: backbone, float16: true });
    const before = await readFile(original);
    const out = path.join(folder, 'models', 'calibrated.vad');
    const stages: number[] = [];
    const result = await calibrateCommand({ model: original, data: folder, out, featureBackbone: backbone, onProgress: (event) => stages.push(event.done) });
    expect(result.images).toEqual({ normal: 3, anomalous: 3 });
    expect(result.before.rule).toBe('leave-one-out-max');
    expect(result.after.rule).toBe('f1-max');
    expect(result.f1).toBe(1);
    expect(stages.at(-1)).toBe(6);
    // The threshold sits between the highest normal and the lowest anomalous validation score.
    const basis = result.after.basis!;
    expect(result.after.score).toBeGreaterThan(Math.max(...basis.slice(0, 3)));
    expect(result.after.score).toBeLessThan(Math.min(...basis.slice(3)));
    expect(await readFile(original)).toEqual(before);
    const written = await readModelFile<{ threshold: { rule: string } }>(out);
    expect(written.header.threshold.rule).toBe('f1-max');
    expect(written.float16).toEqual(['bank']);
    const detector = await loadDetector(out, { backbone });
    try {
      for (const defect of ['good', 'spot']) {
        for (let index = 0; index < 3; index++) expect((await detector.predict(path.join(folder, 'test', defect, `${index}.png`))).isAnomalous).toBe(defect === 'spot');
      }
    } finally {
      await detector.dispose();
    }
  });

  it('calibrates a PaDiM model file the same way', async () => {
    const model = path.join(folder, 'models', 'padim.vad');
    await fitCommand({ data: folder, out: model, featureBackbone: backbone, detector: 'padim' });
    const result = await calibrateCommand({ model, data: folder, out: model, featureBackbone: backbone });
    expect(result.after.rule).toBe('f1-max');
    const written = await readModelFile<{ detector: string; threshold: { rule: string; score: number } }>(model);
    expect(written.header).toMatchObject({ detector: 'padim', threshold: { rule: 'f1-max', score: result.after.score } });
  });

  it('names the folder when calibration images lack a good/ folder or an anomalous one', async () => {
    const model = path.join(folder, 'models', 'half.vad');
    const onlyGood = path.join(folder, 'only-good');
    await mkdir(path.join(onlyGood, 'good'), { recursive: true });
    await writeFile(path.join(onlyGood, 'good', 'a.png'), await png(texture(7, false), 64, 64));
    await expect(calibrateCommand({ model, data: onlyGood, out: path.join(folder, 'x.vad'), featureBackbone: backbone })).rejects.toThrow(
      /only-good needs a good\/ sub-folder of normal images and at least one sub-folder of anomalous ones \(found: good\)/,
    );
    await expect(calibrateCommand({ model, data: path.join(folder, 'test', 'spot'), out: path.join(folder, 'x.vad'), featureBackbone: backbone })).rejects.toThrow(/found: no sub-folders/);
    await expect(readFile(path.join(folder, 'x.vad'))).rejects.toThrow(/ENOENT/);
  });
});
