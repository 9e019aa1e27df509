import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkflow, VadImage, type Detections, type WorkflowDefinition } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { createStandardRegistry } from '../src/index.js';

const corpus = path.join(path.dirname(fileURLToPath(import.meta.url)), 'roboflow-corpus', 'crops');
const photos = sharedPath('datasets/photos');
const models = sharedPath('models');

describe.skipIf(!photos || !models)('Roboflow crop workflows on real models (corpus crops/)', () => {
  it('detect, crop each dog (dynamic_crop), classify the crops and replace the classes: one crop per detection, at its box', async () => {
    const definition = JSON.parse(await readFile(path.join(corpus, 'detect-crop-classify.json'), 'utf8')) as WorkflowDefinition;
    const { registry } = await createStandardRegistry({ plugins: [] });
    const workflow = createWorkflow(definition, { registry, host: { modelsDir: models } });
    try {
      const image = await VadImage.fromBytes(await readFile(path.join(photos!, 'dog.jpg')));
      const [record] = (await workflow.run({ inputs: { image } })).outputs;
      const original = (record!.original_predictions as Detections).predictions;
      expect(original.length).toBeGreaterThanOrEqual(1);
      const crops = record!.crops as { width: number; height: number; lineage?: { offsetX: number; offsetY: number; parentId: string } }[];
      expect(crops).toHaveLength(original.length);
      // Each crop is its detection's box, clipped to the image, and knows its parent.
      crops.forEach((crop, index) => {
        const box = original[index]!;
        expect(crop.width).toBeCloseTo(Math.min(image.width, box.x + box.width / 2) - Math.max(0, box.x - box.width / 2), -1);
        expect(crop.height).toBeCloseTo(Math.min(image.height, box.y + box.height / 2) - Math.max(0, box.y - box.height / 2), -1);
        expect(crop.lineage?.parentId).toBe(image.id);
        expect(crop.lineage?.offsetX).toBeCloseTo(Math.max(0, box.x - box.width / 2), -1);
      });
      // Every detection found its crop's classification: none is dropped, each takes an ImageNet class with a confidence.
      const replaced = (record!.predictions as Detections).predictions;
      expect(replaced).toHaveLength(original.length);
      for (const [index, detection] of replaced.entries()) {
        expect(detection.class).not.toBe('16');
        expect(detection.confidence).toBeGreaterThan(0);
        expect(detection.x).toBeCloseTo(original[index]!.x, 3);
      }
    } finally {
      await workflow.dispose();
    }
  });
});
