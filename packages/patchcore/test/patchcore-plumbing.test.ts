import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPadimDetector, fitPadim, loadPadimModel, savePadimModel } from '../src/padim.js';
import type { Augmentation } from '../src/augment.js';
import { createPatchCoreDetector } from '../src/patchcore-detector.js';
import { fitPatchCore } from '../src/patchcore-fit.js';
import { loadPatchCoreModel, savePatchCoreModel, type PatchCoreModel } from '../src/patchcore-model.js';
import { calibratePatchCore } from '../src/patchcore-threshold.js';
import { defaultScoring, plainScoring, type ScoringRecord } from '../src/scoring.js';
import { texture } from './synthetic-textures.js';
import { createTinyBackbone } from './tiny-backbone.js';

let folder: string;
const size = 64;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'vad-patchcore-'));
  for (let index = 0; index < 6; index++) {
    await writeFile(path.join(folder, `good-${index}.png`), await sharp(texture(index, false), { raw: { width: size, height: size, channels: 3 } }).png().toBuffer());
  }
  await writeFile(path.join(folder, 'defect.png'), await sharp(texture(99, true, 96, 80), { raw: { width: 96, height: 80, channels: 3 } }).png().toBuffer());
  await writeFile(path.join(folder, 'clean.png'), await sharp(texture(98, false), { raw: { width: size, height: size, channels: 3 } }).png().toBuffer());
  // The clean image under a dimmer light (pixel values × 0.65), for the exposure tests.
  await sharp(path.join(folder, 'clean.png')).linear(0.65, 0).toFile(path.join(folder, 'clean-dim.png'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('PatchCore plumbing on a tiny built-in backbone', () => {
  it('fits few-shot, saves, loads, and finds a pasted defect where it is', async () => {
    const backbone = await createTinyBackbone({ inputSize: size });
    const train = [0, 1, 2, 3, 4, 5].map((index) => path.join(folder, `good-${index}.png`));
    const progress: string[] = [];
    const model = await fitPatchCore(train, { backbone, onProgress: (event) => progress.push(`${event.stage} ${event.done}/${event.total}`) });
    expect(model.header.bank.size).toBe(6 * 16 * 16);
    expect(model.header.threshold.rule).toBe('leave-one-out-max');
    expect(progress).toContain('features 6/6');
    // The threshold stage counts the six leave-one-out images through to the end.
    expect(progress.filter((line) => line.startsWith('threshold'))).toEqual([0, 1, 2, 3, 4, 5, 6].map((done) => `threshold ${done}/6`));
    const file = path.join(folder, 'model.vad');
    await savePatchCoreModel(file, model, { float16: true });
    const loaded = await loadPatchCoreModel(file, { backbone });
    const detector = await createPatchCoreDetector(loaded, backbone);
    const defect = await detector.predict(path.join(folder, 'defect.png'));
    const clean = await detector.predict(path.join(folder, 'clean.png'));
    expect(defect.score).toBeGreaterThan(clean.score * 1.5);
    expect(defect.isAnomalous).toBe(true);
    expect(clean.isAnomalous).toBe(false);
    // The map is at the image's own size (96×80) and peaks inside the defect square.
    expect([defect.width, defect.height]).toEqual([96, 80]);
    let peak = 0;
    for (let index = 1; index < defect.map.length; index++) if (defect.map[index]! > defect.map[peak]!) peak = index;
    const peakX = peak % 96;
    const peakY = Math.floor(peak / 96);
    expect(peakX).toBeGreaterThanOrEqual(54);
    expect(peakX).toBeLessThan(84);
    expect(peakY).toBeGreaterThanOrEqual(10);
    expect(peakY).toBeLessThan(36);
    await detector.dispose();
    const other = await createTinyBackbone({ inputSize: size, id: 'other_backbone' });
    await expect(loadPatchCoreModel(file, { backbone: other })).rejects.toThrow(/model\.vad was fitted on backbone tiny_test/);
    await other.dispose();
    await backbone.dispose();
  });

  it('scores each few-shot image as a model of the other images would (leave-one-out on one search)', async () => {
    const backbone = await createTinyBackbone({ inputSize: size });
    const train = [0, 1, 2, 3].map((index) => path.join(folder, `good-${index}.png`));
    const model = await fitPatchCore(train, { backbone });
    for (const [index, file] of train.entries()) {
      const others = await createPatchCoreDetector(await fitPatchCore(train.filter((other) => other !== file), { backbone }), backbone);
      try {
        expect(model.header.threshold.basis![index]).toBeCloseTo((await others.predict(file)).rawScore, 3);
      } finally {
        await others.dispose();
      }
    }
    await backbone.dispose();
  });

  it('above 16 images, measures the threshold on held-out images and then adds them to the bank', async () => {
    const backbone = await createTinyBackbone({ inputSize: size });
    const train: string[] = [];
    for (let index = 0; index < 20; index++) {
      const file = path.join(folder, `many-${index}.png`);
      await writeFile(file, await sharp(texture(200 + index, false), { raw: { width: size, height: size, channels: 3 } }).png().toBuffer());
      train.push(file);
    }
    const coreset: number[] = [];
    const model = await fitPatchCore(train, { backbone, coresetRatio: 0.25, onProgress: (event) => event.stage === 'coreset' && coreset.push(event.done / event.total) });
    expect(model.header.threshold.rule).toBe('held-out-max');
    expect(model.header.threshold.basis).toHaveLength(2);
    expect(model.header.training).toMatchObject({ images: 20, heldOut: 2 });
    // The bank is a quarter of all 20 images' patches, not of the 18 the threshold's bank saw.
    expect(model.header.bank).toMatchObject({ trainingPatches: 20 * 16 * 16, size: 20 * 16 * 16 * 0.25 });
    expect(coreset.at(-1)).toBe(1);
    expect(coreset.every((value, index) => index === 0 || value >= coreset[index - 1]!)).toBe(true);
    // With the whole bank kept, every training image (held-out ones included) finds its own patches.
    const whole = await fitPatchCore(train, { backbone, coresetRatio: 1 });
    expect(whole.header.bank.size).toBe(20 * 16 * 16);
    const detector = await createPatchCoreDetector(whole, backbone);
    const scores = await Promise.all(train.map(async (file) => (await detector.predict(file)).rawScore));
    // (Without them the held-out images would score up to the threshold itself; float round-off leaves ~2 %.)
    expect(Math.max(...scores)).toBeLessThan(0.1 * whole.header.threshold.score);
    await detector.dispose();
    await backbone.dispose();
  });

  it('PaDiM fits on the same features and separates the defect image', async () => {
    const backbone = await createTinyBackbone({ inputSize: size });
    const train = [0, 1, 2, 3, 4, 5].map((index) => path.join(folder, `good-${index}.png`));
    const model = await fitPadim(train, { backbone, channels: 16 });
    expect(model.header.features.channels).toHaveLength(16);
    expect(model.header.threshold.rule).toBe('leave-one-out-max');
    const file = path.join(folder, 'padim.vad');
    await savePadimModel(file, model);
    const detector = await createPadimDetector(await loadPadimModel(file, { backbone }), backbone);
    const defect = await detector.predict(path.join(folder, 'defect.png'));
    const clean = await detector.predict(path.join(folder, 'clean.png'));
    expect(defect.score).toBeGreaterThan(clean.score * 1.5);
    expect([defect.width, defect.height]).toEqual([96, 80]);
    await detector.dispose();
    await backbone.dispose();
  });

  it('keeps each image at its own scale with the scale geometry (mixed sizes, one bank)', async () => {
    const backbone = await createTinyBackbone({ inputSize: size });
    const train = [0, 1, 2, 3, 4, 5].map((index) => path.join(folder, `good-${index}.png`));
    const model = await fitPatchCore(train, { backbone, geometry: { mode: 'scale', factor: 1, minSide: 32 } });
    expect(model.header.features.geometry).toEqual({ mode: 'scale', factor: 1, minSide: 32 });
    const detector = await createPatchCoreDetector(model, backbone);
    const defect = await detector.predict(path.join(folder, 'defect.png'));
    // 96×80 input at factor 1 → a 24×20 grid on the stride-4 tap.
    expect(defect.gridScores.length).toBe(24 * 20);
    expect([defect.width, defect.height]).toEqual([96, 80]);
    const clean = await detector.predict(path.join(folder, 'clean.png'));
    expect(defect.score).toBeGreaterThan(clean.score * 1.5);
    await detector.dispose();
    await backbone.dispose();
  });

  it('keeps the aspect with the fit geometry, and blurs the map in grid cells when told', async () => {
    const backbone = await createTinyBackbone({ inputSize: size });
    const train = [0, 1, 2, 3, 4, 5].map((index) => path.join(folder, `good-${index}.png`));
    const model = await fitPatchCore(train, { backbone, geometry: { mode: 'fit', longSide: 64, minSide: 32 }, mapSigmaCells: 1 });
    expect(model.header.mapSigmaCells).toBe(1);
    const detector = await createPatchCoreDetector(model, backbone);
    const defect = await detector.predict(path.join(folder, 'defect.png'));
    // 96×80 → 64×53 (not 64×64) → a 16×14 grid on the stride-4 tap; the map is back at 96×80.
    expect(defect.gridScores.length).toBe(16 * 14);
    expect([defect.width, defect.height]).toEqual([96, 80]);
    const clean = await detector.predict(path.join(folder, 'clean.png'));
    expect(defect.score).toBeGreaterThan(clean.score * 1.5);
    await detector.dispose();
    await expect(fitPatchCore(train, { backbone, mapSigmaCells: 0 })).rejects.toThrow(/mapSigmaCells must be a positive number, got 0/);
    await backbone.dispose();
  });

  it('scores a large image in overlapping tiles at its own resolution and finds the defect in the stitched map', async () => {
    const [width, height] = [256, 192];
    const train: string[] = [];
    for (let index = 0; index < 6; index++) {
      const file = path.join(folder, `large-good-${index}.png`);
      await writeFile(file, await sharp(texture(index + 20, false, width, height), { raw: { width, height, channels: 3 } }).png().toBuffer());
      train.push(file);
    }
    const defectFile = path.join(folder, 'large-defect.png');
    await writeFile(defectFile, await sharp(texture(120, true, width, height), { raw: { width, height, channels: 3 } }).png().toBuffer());
    const backbone = await createTinyBackbone({ inputSize: size });
    const geometry = { mode: 'tile', tile: 96, overlap: 0.25 } as const;
    const model = await fitPatchCore(train, { backbone, geometry, mapSigmaCells: 1 });
    // Every cell of the stitched 64×48 grid (stride 4 at full resolution) is in the few-shot bank.
    expect(model.header.bank.size).toBe(6 * 64 * 48);
    const detector = await createPatchCoreDetector(model, backbone);
    const defect = await detector.predict(defectFile, { mapMaxSide: 256 });
    expect(defect.gridScores.length).toBe(64 * 48);
    expect([defect.width, defect.height]).toEqual([width, height]);
    let peak = 0;
    for (let index = 1; index < defect.map.length; index++) if (defect.map[index]! > defect.map[peak]!) peak = index;
    // The defect square spans x 160–208, y 36–72.
    expect(peak % width).toBeGreaterThanOrEqual(150);
    expect(peak % width).toBeLessThan(218);
    expect(Math.floor(peak / width)).toBeGreaterThanOrEqual(28);
    expect(Math.floor(peak / width)).toBeLessThan(80);
    const clean = await detector.predict(train[0]!);
    expect(defect.score).toBeGreaterThan(clean.score * 1.5);
    await detector.dispose();
    await expect(fitPatchCore(train, { backbone, geometry: { mode: 'tile', tile: 48, overlap: 0.25 } })).rejects.toThrow(/tiles of 48 px are smaller than tiny_test's receptive field \(96 px\)/);
    await backbone.dispose();
  });

  it('calibrates the F1-max threshold on labelled validation images', async () => {
    const backbone = await createTinyBackbone({ inputSize: size });
    const train = [0, 1, 2, 3].map((index) => path.join(folder, `good-${index}.png`));
    const model = await fitPatchCore(train, { backbone });
    const calibrated = await calibratePatchCore(model, backbone, [
      { path: path.join(folder, 'clean.png'), anomalous: false },
      { path: path.join(folder, 'defect.png'), anomalous: true },
    ]);
    const [clean, defect] = calibrated.header.threshold.basis!;
    expect(calibrated.header.threshold.rule).toBe('f1-max');
    expect(calibrated.header.threshold.score).toBeGreaterThan(clean!);
    expect(calibrated.header.threshold.score).toBeLessThan(defect!);
    await backbone.dispose();
  });

  it('adds flipped and rotated views to a few-shot bank, and fits on a single image', async () => {
    const backbone = await createTinyBackbone({ inputSize: size });
    const two = [0, 1].map((index) => path.join(folder, `good-${index}.png`));
    const augmented = await fitPatchCore(two, { backbone, augmentations: ['flip-horizontal', 'rotate-90'] });
    expect(augmented.header.bank.size).toBe(2 * 3 * 16 * 16);
    expect(augmented.header.training.augmentations).toEqual(['flip-horizontal', 'rotate-90']);
    await expect(fitPatchCore(two, { backbone, augmentations: ['blur' as never] })).rejects.toThrow(/unknown augmentation "blur"; known: flip-horizontal, .*, darker, brighter/);
    const single = await fitPatchCore([two[0]!], { backbone });
    expect(single.header.threshold.rule).toBe('second-neighbour-max');
    expect(single.header.threshold.score).toBeGreaterThan(0);
    await backbone.dispose();
  });

  it('with darker and brighter views in the bank, a normal image under another exposure stays normal', async () => {
    const backbone = await createTinyBackbone({ inputSize: size });
    const train = [0, 1, 2, 3].map((index) => path.join(folder, `good-${index}.png`));
    const dim = path.join(folder, 'clean-dim.png');
    // Plain scoring: only the bank's views can make the dimmed image normal here.
    const scoreOf = async (augmentations: Augmentation[]) => {
      const model = await fitPatchCore(train, { backbone, augmentations, scoring: plainScoring });
      expect(model.header.bank.size).toBe(4 * (1 + augmentations.length) * 16 * 16);
      const detector = await createPatchCoreDetector(model, backbone);
      try {
        return { dim: (await detector.predict(dim)).rawScore, clean: (await detector.predict(path.join(folder, 'clean.png'))).rawScore };
      } finally {
        await detector.dispose();
      }
    };
    const plain = await scoreOf([]);
    const exposed = await scoreOf(['darker', 'brighter']);
    // The dimmed copy is far from a bank of normal exposures, and close to one with darker views.
    expect(plain.dim).toBeGreaterThan(3 * plain.clean);
    expect(exposed.dim).toBeLessThan(0.5 * plain.dim);
    await backbone.dispose();
  });

  it('scores each image at other exposures too (default scoring): a dimmed normal image stays normal, a defect does not', async () => {
    const backbone = await createTinyBackbone({ inputSize: size });
    const train = [0, 1, 2, 3].map((index) => path.join(folder, `good-${index}.png`));
    const dim = path.join(folder, 'clean-dim.png');
    const model = await fitPatchCore(train, { backbone });
    expect(model.header.scoring).toEqual(defaultScoring);
    const scoresOf = async (scored: PatchCoreModel) => {
      const detector = await createPatchCoreDetector(scored, backbone);
      try {
        const [dimmed, clean, defect] = await Promise.all([dim, path.join(folder, 'clean.png'), path.join(folder, 'defect.png')].map((file) => detector.predict(file)));
        return { dim: dimmed!.rawScore, clean: clean!.rawScore, defect: defect!.rawScore };
      } finally {
        await detector.dispose();
      }
    };
    const searched = await scoresOf(withScoring(model, { exposureGains: defaultScoring.exposureGains, imageMedianWeight: 0 }));
    const plain = await scoresOf(withScoring(model, plainScoring));
    expect(plain.dim).toBeGreaterThan(3 * plain.clean);
    // × 1.5 brings the dimmed copy back to within 2.5 % of its own exposure; the bright defect square stays.
    expect(searched.dim).toBeLessThan(0.5 * plain.dim);
    expect(searched.defect).toBeGreaterThan(3 * searched.dim);
    expect(searched.clean).toBeCloseTo(plain.clean, 5);
    await backbone.dispose();
  });

  it('adds the image median to every patch score, and reads models without a scoring record as plain', async () => {
    const backbone = await createTinyBackbone({ inputSize: size });
    const train = [0, 1, 2, 3].map((index) => path.join(folder, `good-${index}.png`));
    const model = await fitPatchCore(train, { backbone, scoring: plainScoring });
    const gridOf = async (scored: PatchCoreModel) => {
      const detector = await createPatchCoreDetector(scored, backbone);
      try {
        return (await detector.predict(path.join(folder, 'defect.png'))).gridScores;
      } finally {
        await detector.dispose();
      }
    };
    const plain = await gridOf(model);
    const withMedian = await gridOf(withScoring(model, { exposureGains: [], imageMedianWeight: 1 }));
    const sorted = Float32Array.from(plain).sort();
    const median = (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
    expect(median).toBeGreaterThan(0);
    for (let patch = 0; patch < plain.length; patch += 37) expect(withMedian[patch]).toBeCloseTo(plain[patch]! + median, 4);
    // A file written before scoring was recorded has no `scoring`: it is scored plainly, as it was fitted.
    const { scoring: _unused, ...older } = model.header;
    expect(Array.from(await gridOf({ ...model, header: older }))).toEqual(Array.from(plain));
    await expect(fitPatchCore(train, { backbone, scoring: { exposureGains: [0], imageMedianWeight: 0 } })).rejects.toThrow(/exposure gains must be positive numbers other than 1, got 0/);
    await expect(fitPatchCore(train, { backbone, scoring: { exposureGains: [], imageMedianWeight: -1 } })).rejects.toThrow(/image median weight must be a number ≥ 0, got -1/);
    const edited = path.join(folder, 'bad-scoring.vad');
    await savePatchCoreModel(edited, withScoring(model, { exposureGains: [-2], imageMedianWeight: 0 }));
    await expect(loadPatchCoreModel(edited)).rejects.toThrow(/bad-scoring\.vad has a bad scoring record: exposure gains must be positive numbers other than 1, got -2/);
    await backbone.dispose();
  });
});

function withScoring(model: PatchCoreModel, scoring: ScoringRecord): PatchCoreModel {
  return { ...model, header: { ...model.header, scoring } };
}
