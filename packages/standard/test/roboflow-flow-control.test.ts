import { createWorkflow, type Detections } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { createStandardRegistry } from '../src/index.js';
import { photosDir, readCorpus, readPhoto } from './corpus-workflows.js';

const photos = photosDir;
const models = sharedPath('models');

const load = (name: string) => readCorpus(`flow-control/${name}`);
const photo = (name: string) => readPhoto(`${name}.jpg`);

describe.skipIf(!photos || !models)('Roboflow workflows across the levels of a batch on real photos (corpus flow-control/)', () => {
  it('dimension_collapse of per-image detections: one row for the batch, each image\'s detections in order, as when run alone', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    const workflow = createWorkflow(await load('batch-collapse-detections.json'), { registry, host: { modelsDir: models } });
    try {
      const images = await Promise.all(['dog', 'horses', 'person'].map(photo));
      const { outputs } = await workflow.run({ inputs: { image: images } });
      expect(outputs).toHaveLength(1);
      const perImage = outputs[0]!.per_image as Detections[];
      expect(outputs[0]!.images_seen).toBe(3);
      expect(perImage.map((d) => [d.image.width, d.image.height])).toEqual(images.map((image) => [image.width, image.height]));
      // Independently: each image run on its own gives a one-element list with the same detections.
      for (const [index, image] of images.entries()) {
        const alone = (await workflow.run({ inputs: { image } })).outputs;
        expect(alone).toHaveLength(1);
        const [single] = alone[0]!.per_image as Detections[];
        expect(single!.predictions.map((p) => [p.class, p.x, p.y])).toEqual(perImage[index]!.predictions.map((p) => [p.class, p.x, p.y]));
      }
      expect(perImage.some((d) => d.predictions.length > 0)).toBe(true);
    } finally {
      await workflow.dispose();
    }
  });

  it('a per-crop gate governs a per-image step (runs when any crop passes) and a parameter-only step (one value per crop)', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    const workflow = createWorkflow(await load('crop-gate-governs-image.json'), { registry, host: { modelsDir: models } });
    try {
      const image = await photo('dog');
      const run = async (min_area: number) => (await workflow.run({ inputs: { image, min_area } })).outputs[0]!;
      const all = await run(0);
      const crops = all.crops as { width: number; height: number }[];
      expect(crops.length).toBeGreaterThanOrEqual(2);
      const areas = crops.map((crop) => crop.width * crop.height).sort((a, b) => a - b);
      expect(all.count).toBe(crops.length);
      expect(all.tags).toEqual(crops.map(() => 'big object'));
      // A threshold between the smallest and the largest crop: the image still counts, only the big crops get a tag.
      expect(areas[0]).toBeLessThan(areas[areas.length - 1]!);
      const between = (areas[0]! + areas[areas.length - 1]!) / 2;
      const some = await run(between);
      expect(some.count).toBe(crops.length);
      expect(some.tags).toEqual(crops.map((crop) => (crop.width * crop.height >= between ? 'big object' : null)));
      // Above every crop: no crop passes, so neither step runs.
      const none = await run(areas[areas.length - 1]! + 1);
      expect(none.count).toBeNull();
      expect(none.tags).toEqual(crops.map(() => null));
    } finally {
      await workflow.dispose();
    }
  });

  it('gates on slices and on the image both govern a stitch onto the drawn image: stitched only where both found a person', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    const workflow = createWorkflow(await load('slice-and-image-gates-stitch-onto-drawing.json'), { registry, host: { modelsDir: models } });
    try {
      const images = await Promise.all(['person', 'eagle'].map(photo));
      const [person, eagle] = (await workflow.run({ inputs: { image: images } })).outputs;
      // The drawing keeps the input's identity, so the slices of the input belong to it.
      expect((person!.on_image as Detections).predictions.length).toBeGreaterThan(0);
      const stitched = person!.stitched as Detections;
      expect(stitched.image).toEqual({ width: images[0]!.width, height: images[0]!.height });
      expect(stitched.predictions.length).toBeGreaterThan(0);
      for (const p of stitched.predictions) {
        expect(p.class).toBe('0');
        expect(p.x - p.width / 2).toBeGreaterThanOrEqual(-0.5);
        expect(p.x + p.width / 2).toBeLessThanOrEqual(images[0]!.width + 0.5);
      }
      // No person in eagle.jpg: the image gate stops the stitch.
      expect((eagle!.on_image as Detections).predictions).toEqual([]);
      expect(eagle!.stitched).toBeNull();
    } finally {
      await workflow.dispose();
    }
  });
});
