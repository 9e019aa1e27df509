import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { createBlockRegistry, createWorkflow, VadImage, type AnomalyMap, type Detections } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitCommand } from '../src/fit-command.js';
import { loadFeatureBackbone } from '../src/backbones.js';
import { listImages } from '../src/image-files.js';
import { loadPatchCoreModel } from '../src/patchcore-model.js';
import { patchcoreBlocks } from '../src/blocks.js';
import { loadDetector } from '../src/load-detector.js';
import type { FeatureBackbone } from '../src/backbone.js';

const hazelnut = sharedPath('datasets/mvtec_ad_reduced/hazelnut');
const magneticTile = sharedPath('datasets/magnetic_tile/MT');

describe.skipIf(!hazelnut || !magneticTile)('PatchCore on the real MobileNetV2 backbone', () => {
  let folder: string;
  let backbone: FeatureBackbone;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'vad-real-'));
    backbone = await loadFeatureBackbone('mobilenet_v2', { inputSize: 160 });
  });
  afterAll(async () => {
    await backbone?.dispose();
    await rm(folder, { recursive: true, force: true });
  });

  it('fits few-shot on hazelnut and, as a workflow step, scores a defect above a good image and boxes it', async () => {
    const train = (await listImages(path.join(hazelnut!, 'train/good'))).slice(0, 8);
    const fit = await fitCommand({ data: train, out: path.join(folder, 'hazelnut.vad'), featureBackbone: backbone });
    expect(fit.bankSize).toBe(8 * backbone.tapShapes[0]!.height * backbone.tapShapes[0]!.width);
    const workflow = await createWorkflow(
      {
        version: '1.0',
        inputs: [{ type: 'WorkflowImage', name: 'image' }],
        steps: [
          { type: 'vad/patchcore@v1', name: 'patchcore', image: '$inputs.image', model: 'hazelnut' },
          { type: 'vad/anomaly_regions@v1', name: 'regions', anomaly_map: '$steps.patchcore.anomaly_map' },
        ],
        outputs: [
          { type: 'JsonField', name: 'score', selector: '$steps.patchcore.anomaly_score' },
          { type: 'JsonField', name: 'anomalous', selector: '$steps.patchcore.is_anomalous' },
          { type: 'JsonField', name: 'map', selector: '$steps.patchcore.anomaly_map' },
          { type: 'JsonField', name: 'regions', selector: '$steps.regions.predictions' },
        ],
      },
      { registry: createBlockRegistry(patchcoreBlocks()), host: { modelsDir: folder } },
    );
    const run = async (file: string) => {
      const image = await VadImage.fromBytes(await readFile(file));
      const { outputs } = await workflow.run({ inputs: { image } });
      return outputs[0] as { score: number; anomalous: boolean; map: AnomalyMap; regions: Detections };
    };
    const good = await run(path.join(hazelnut!, 'test/good/000.png'));
    const crack = await run(path.join(hazelnut!, 'test/crack/000.png'));
    expect(crack.score).toBeGreaterThan(good.score);
    expect(crack.anomalous).toBe(true);
    expect(crack.map).toMatchObject({ kind: 'anomaly_map', width: 256, height: 256, threshold: 0.5 });
    expect(crack.regions.predictions.length).toBeGreaterThan(0);
    expect(crack.regions.predictions[0]).toMatchObject({ class: 'anomaly' });
    await workflow.dispose?.();
  });

  it('reads grayscale magnetic-tile images of mixed sizes, and refuses the model on another backbone', async () => {
    const train = (await listImages(path.join(magneticTile!, 'train/good'))).slice(0, 3);
    const out = path.join(folder, 'tile.vad');
    await fitCommand({ data: train, out, featureBackbone: backbone });
    const model = await loadPatchCoreModel(out, { backbone });
    expect(model.header.training.images).toBe(3);
    const other = await loadFeatureBackbone('mobilenet_v2', { inputSize: 128 });
    await expect(loadPatchCoreModel(out, { backbone: other })).rejects.toThrow(/tile\.vad was fitted on backbone mobilenet_v2 \(taps .*, 160 px\), not mobilenet_v2 \(.*128 px\)/);
    await other.dispose();
  });
});

describe.skipIf(!hazelnut)('PatchCore on the real ResNet50 backbone', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'vad-resnet-'));
  });
  afterAll(async () => rm(folder, { recursive: true, force: true }));

  it('fits with --preset fine --backbone resnet50 (layer2+layer3 at 224 px) and reloads it by its recorded id', async () => {
    const out = path.join(folder, 'hazelnut-resnet.vad');
    const train = (await listImages(path.join(hazelnut!, 'train/good'))).slice(0, 6);
    const fit = await fitCommand({ data: train, out, preset: 'fine', backbone: 'resnet50' });
    expect(fit.backbone).toBe('resnet50');
    expect(fit.bankSize).toBe(6 * 28 * 28); // few-shot keeps every patch of the 28 × 28 grid
    const detector = await loadDetector(out);
    try {
      expect(detector.backbone).toMatchObject({ id: 'resnet50', inputSize: 224, taps: ['layer2', 'layer3'] });
      expect(detector.backbone.tapShapes).toEqual([
        { channels: 512, height: 28, width: 28 },
        { channels: 1024, height: 14, width: 14 },
      ]);
      const good = await detector.predict(path.join(hazelnut!, 'test/good/000.png'));
      const crack = await detector.predict(path.join(hazelnut!, 'test/crack/000.png'));
      expect(crack.score).toBeGreaterThan(good.score);
    } finally {
      await detector.dispose(); // and the backbone it loaded
    }
  });
});
