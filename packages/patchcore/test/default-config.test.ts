import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sharedPath } from '@vad/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureBackbone } from '../src/backbone.js';
import { backboneDefaults, fitOptionsOf, loadFeatureBackbone, presets } from '../src/backbones.js';
import { fitCommand } from '../src/fit-command.js';
import { listImages } from '../src/image-files.js';
import { evaluateDetector } from '../src/evaluate.js';
import { createPatchCoreDetector } from '../src/patchcore-detector.js';
import { fitPatchCore } from '../src/patchcore-fit.js';
import { loadPatchCoreModel } from '../src/patchcore-model.js';
import { defaultScoring, singleExposureScoring } from '../src/scoring.js';

const mvtec = sharedPath('datasets/mvtec_ad_reduced');

// The default configuration is chosen by the selection protocol in BENCHMARKS.md; this keeps it honest
// on real data: a change of defaults that loses accuracy on MVTec AD fails here. With 2 good and
// 8 defect test images, image AUROC moves in steps of 1/16, so the bounds leave room for one pair.
/** Runs `use` with a new temporary folder, removed afterwards. */
async function inTempFolder(use: (folder: string) => Promise<void>): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'vad-default-config-'));
  try {
    await use(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

describe.skipIf(!mvtec)('PatchCore defaults on MVTec AD (reduced, 50 training images)', () => {
  let backbone: FeatureBackbone;
  beforeAll(async () => {
    backbone = await loadFeatureBackbone('inception_v3');
  });
  afterAll(async () => {
    await backbone?.dispose();
  });

  it('uses InceptionV3 mixed1 + mixed5 with the longer side at 320 px, a 2 % coreset, one exposure, a top-1 % image score and a one-cell blur', () => {
    expect(backboneDefaults.inception_v3).toEqual({ taps: ['mixed1', 'mixed5'], inputSize: 320 });
    expect(presets.default).toMatchObject({ geometry: { mode: 'fit', longSide: 320, minSide: 96 }, coresetRatio: 0.02, mapSigmaCells: 1 });
    expect(presets.default.scoring).toEqual({ ...singleExposureScoring, imageTopShare: 0.01 });
    expect(backbone.taps).toEqual(['mixed1', 'mixed5']);
  });

  it.each([
    ['hazelnut', 0.9, 0.97],
    ['transistor', 0.85, 0.92],
  ])('%s: image AUROC ≥ %d and pixel AUROC ≥ %d', async (category, imageBound, pixelBound) => {
    const root = `${mvtec}/${category}`;
    const model = await fitPatchCore(root, { backbone, ...fitOptionsOf(presets.default) });
    // The square 256 px images are enlarged to 320 px: mixed1's grid is 37 × 37, and 2 % of the
    // 50 images' patches stay in the bank.
    expect(model.header.bank.trainingPatches).toBe(50 * 37 * 37);
    expect(model.header.bank.size).toBe(Math.round(50 * 37 * 37 * 0.02));
    const detector = await createPatchCoreDetector(model, backbone);
    try {
      const result = await evaluateDetector(detector, root);
      expect(result.imageAuroc).toBeGreaterThanOrEqual(imageBound);
      expect(result.pixelAuroc).toBeGreaterThanOrEqual(pixelBound);
    } finally {
      await detector.dispose();
    }
  });

  it('fits the texture preset (the previous default): mixed5 at 192 px, a 10 % coreset and the exposure search', async () => {
    await inTempFolder(async (folder) => {
    const train = (await listImages(`${mvtec}/hazelnut/train/good`)).slice(0, 20);
    const out = path.join(folder, 'texture.vad');
    await fitCommand({ data: train, out, preset: 'texture' });
    const { header } = await loadPatchCoreModel(out);
    expect(header.backbone).toMatchObject({ id: 'inception_v3', taps: ['mixed5'], inputSize: 192 });
    expect(header.features.geometry).toEqual({ mode: 'square', size: 192 });
    expect(header.bank.coresetRatio).toBe(0.1);
    expect(header.scoring).toEqual(defaultScoring);
    });
  });

  it('fits the fine preset (the first default) with its own taps, size, coreset ratio and one-exposure scoring', async () => {
    await inTempFolder(async (folder) => {
    const train = (await listImages(`${mvtec}/hazelnut/train/good`)).slice(0, 20);
    const out = path.join(folder, 'fine.vad');
    await fitCommand({ data: train, out, preset: 'fine' });
    const { header } = await loadPatchCoreModel(out);
    expect(header.backbone).toMatchObject({ id: 'inception_v3', taps: ['mixed2', 'mixed5'], inputSize: 256 });
    expect(header.bank.coresetRatio).toBe(0.02);
    expect(header.features.dimensions).toBe(288 + 768);
    expect(header.scoring).toEqual({ exposureGains: [], imageMedianWeight: 0.5 });
    });
  });

  it('auto: holds out normal images, scores each candidate on synthetic defects and records the choice in the model file', async () => {
    await inTempFolder(async (folder) => {
    const train = (await listImages(`${mvtec}/hazelnut/train/good`)).slice(0, 10);
    const messages: string[] = [];
    const out = path.join(folder, 'auto.vad');
    const fit = await fitCommand({ data: train, out, preset: 'auto', onMessage: (message) => messages.push(message) });
    const { header } = await loadPatchCoreModel(out);
    const selection = header.selection!;
    expect(fit.selection).toEqual(selection);
    expect(selection).toMatchObject({ heldOut: 2, candidateBankImages: 8 });
    expect(selection.syntheticDefects).toBeGreaterThanOrEqual(30);
    expect(selection.candidates.map((record) => record.name)).toEqual(['default', 'default-plain', 'fit-256', 'texture']);
    for (const record of selection.candidates) {
      expect(record.validation.pixelAuroc).toBeGreaterThan(0.6);
      expect(record.validation.pixelAuroc).toBeLessThanOrEqual(1);
    }
    const winner = selection.candidates.find((record) => record.name === selection.winner)!;
    // The model is the winner's configuration, fitted on all ten images.
    expect(header.backbone.taps).toEqual(winner.preset.taps);
    expect(header.training.images).toBe(10);
    expect(messages.at(-1)).toContain(`auto: ${selection.winner}`);
    });
  });

  it('auto on fewer than 8 images fits the default preset and says why', async () => {
    await inTempFolder(async (folder) => {
    const train = (await listImages(`${mvtec}/hazelnut/train/good`)).slice(0, 5);
    const messages: string[] = [];
    const out = path.join(folder, 'few.vad');
    const fit = await fitCommand({ data: train, out, preset: 'auto', onMessage: (message) => messages.push(message) });
    expect(messages).toEqual(['auto: 5 normal images are too few to hold any out (it needs 8); fitting the default preset']);
    expect(fit.selection).toBeUndefined();
    const { header } = await loadPatchCoreModel(out);
    expect(header.features.geometry).toEqual(presets.default.geometry);
    expect(header.scoring).toEqual(presets.default.scoring);
    });
  });
});
