import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { boxesFromPredictions, intersectionOverUnion } from '@vad/blocks-detection';
import { createWorkflow, VadImage, type Detection, type Detections, type WorkflowDefinition } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { createStandardRegistry } from '../src/index.js';

const corpus = path.join(path.dirname(fileURLToPath(import.meta.url)), 'roboflow-corpus', 'consensus');
const photos = sharedPath('datasets/photos');
const models = sharedPath('models');
const iouThreshold = 0.3; // as in the definition

function iou(a: Detection, b: Detection): number {
  return intersectionOverUnion(boxesFromPredictions([a, b]).corners, 0, 1);
}

describe.skipIf(!photos || !models)('Roboflow consensus workflows on real models (corpus consensus/)', () => {
  it('fuses YOLOX-nano and NanoDet on dog.jpg by two votes: each fused box is one both models found', async () => {
    const definition = JSON.parse(await readFile(path.join(corpus, 'two-detectors-vote.json'), 'utf8')) as WorkflowDefinition;
    const { registry } = await createStandardRegistry({ plugins: [] });
    const workflow = createWorkflow(definition, { registry, host: { modelsDir: models } });
    try {
      const image = await VadImage.fromBytes(await readFile(path.join(photos!, 'dog.jpg')));
      const [record] = (await workflow.run({ inputs: { image } })).outputs;
      const yolox = (record!.yolox as Detections).predictions;
      const nanodet = (record!.nanodet as Detections).predictions;
      const fused = (record!.predictions as Detections).predictions;
      expect(fused.length).toBeGreaterThanOrEqual(2); // the dog and the bicycle at least
      expect(fused.length).toBeLessThanOrEqual(Math.min(yolox.length, nanodet.length));
      const inputIds = new Set([...yolox, ...nanodet].map((p) => p.detection_id));
      for (const box of fused) {
        for (const model of [yolox, nanodet]) {
          const overlaps = model.filter((p) => p.class === box.class).map((p) => iou(box, p));
          expect(Math.max(0, ...overlaps), `${box.class} at ${box.x},${box.y}`).toBeGreaterThan(iouThreshold);
        }
        expect(box.parent_id).toBe(image.id);
        expect(inputIds.has(box.detection_id)).toBe(false);
      }
      // Present, with the best fused confidence of each class that was fused.
      expect(record!.object_present).toBe(true);
      const classes = [...new Set(fused.map((p) => p.class))].sort();
      const presence = record!.presence_confidence as Record<string, number>;
      expect(Object.keys(presence).sort()).toEqual(classes);
      for (const name of classes) expect(presence[name]).toBeCloseTo(Math.max(...fused.filter((p) => p.class === name).map((p) => p.confidence)), 10);

      // Two models cannot give three votes: nothing is fused and nothing is present.
      const [strict] = (await workflow.run({ inputs: { image, required_votes: 3 } })).outputs;
      expect((strict!.predictions as Detections).predictions).toEqual([]);
      expect(strict).toMatchObject({ object_present: false, presence_confidence: {} });
    } finally {
      await workflow.dispose();
    }
  });
});
