import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyHomography, perspectiveCorrection } from '@vad/blocks-detection';
import { createWorkflow, VadImage, type Detections, type WorkflowDefinition } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { createStandardRegistry } from '../src/index.js';

const corpus = path.join(path.dirname(fileURLToPath(import.meta.url)), 'roboflow-corpus', 'perspective');
const read = async (name: string) => JSON.parse(await readFile(path.join(corpus, name), 'utf8')) as WorkflowDefinition;

describe('Roboflow perspective workflows (corpus perspective/)', () => {
  it('zone-from-segmentation: a filtered belt becomes a grown 4-corner zone, and the image and detections are flattened onto it', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    const workflow = createWorkflow(await read('zone-from-segmentation.json'), { registry });
    const corners = [[60, 40], [340, 60], [360, 200], [40, 180]] as const;
    const points = corners.flatMap(([x, y], i) => {
      const [u, v] = corners[(i + 1) % 4]!;
      return Array.from({ length: 8 }, (_, k) => ({ x: Math.round(x + ((u - x) * k) / 8), y: Math.round(y + ((v - y) * k) / 8) }));
    });
    const detection = (id: string, cls: string, box: [number, number, number, number], outline?: { x: number; y: number }[]) => ({
      x: box[0], y: box[1], width: box[2], height: box[3], confidence: 0.9, class: cls, class_id: cls === 'belt' ? 0 : 1, detection_id: id, parent_id: 'image', points: outline ?? [],
    });
    const segments: Detections = {
      image: { width: 400, height: 240 },
      predictions: [detection('belt', 'belt', [200, 120, 320, 160], points), detection('box', 'box', [200, 120, 40, 30], [{ x: 180, y: 105 }, { x: 220, y: 105 }, { x: 220, y: 135 }, { x: 180, y: 135 }])],
    };
    const image = VadImage.fromPixels({ data: new Uint8Array(400 * 240 * 3).fill(90), width: 400, height: 240 });
    try {
      const [record] = (await workflow.run({ inputs: { image, segments } })).outputs;
      const zones = record!.zones as [number, number][][];
      // Only the belt passes the filter; its zone is grown by 10 % about the centroid.
      expect(zones).toHaveLength(1);
      expect(zones[0]).toHaveLength(4);
      const spread = (zone: [number, number][]) => Math.max(...zone.map((p) => p[0])) - Math.min(...zone.map((p) => p[0]));
      expect(spread(zones[0]!) / (360 - 40)).toBeCloseTo(1.1, 1);
      expect(record!.converged).toBe(true);
      // The box sits in the middle of the belt, so it lands near the middle of the 300 × 100 rectangle.
      const box = (record!.corrected as Detections).predictions.find((d) => d.class === 'box')!;
      expect(box.x).toBeGreaterThan(120);
      expect(box.x).toBeLessThan(180);
      expect(box.y).toBeGreaterThan(30);
      expect(box.y).toBeLessThan(70);
      const warped = record!.warped as VadImage;
      expect([warped.width, warped.height]).toEqual([300, 100]);
    } finally {
      await workflow.dispose();
    }
  });

  const photos = sharedPath('datasets/photos');
  const models = sharedPath('models');
  it.skipIf(!photos || !models)('detect-and-correct: horses found by YOLOX-nano all land inside the top-down rectangle grown to hold their feet', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    const definition = await read('detect-and-correct.json');
    const workflow = createWorkflow(definition, { registry, host: { modelsDir: models } });
    try {
      const image = await VadImage.fromBytes(await readFile(path.join(photos!, 'horses.jpg')));
      const [record] = (await workflow.run({ inputs: { image } })).outputs;
      const horses = (record!.horses as Detections).predictions;
      expect(horses.length).toBeGreaterThanOrEqual(2);
      const corrected = (record!.corrected as Detections).predictions;
      expect(corrected).toHaveLength(horses.length);
      const [width, height] = [record!.width as number, record!.height as number];
      expect(width).toBeGreaterThanOrEqual(400);
      expect(height).toBeGreaterThanOrEqual(300);
      expect(width + height).toBeGreaterThan(700); // the feet outside the ground polygon grew it
      // The same transform, made here from the definition's polygon: every horse's bottom centre
      // (the anchor) lands inside the grown rectangle, and each corrected box holds its mapped corners.
      const ground = (definition.inputs[1] as { default_value: [number, number][] }).default_value;
      const { transform } = perspectiveCorrection(ground, 400, 300, { detections: record!.horses as Detections, anchor: 'BOTTOM_CENTER' });
      horses.forEach((horse, index) => {
        const [x, y] = applyHomography(transform, [horse.x, horse.y + horse.height / 2]);
        expect(x).toBeGreaterThan(-1.5);
        expect(x).toBeLessThan(width + 0.5);
        expect(y).toBeGreaterThan(-1.5);
        expect(y).toBeLessThan(height + 0.5);
        const box = corrected[index]!;
        const [x1, y1, x2, y2] = [horse.x - horse.width / 2, horse.y - horse.height / 2, horse.x + horse.width / 2, horse.y + horse.height / 2].map(Math.round) as [number, number, number, number];
        const mapped = ([[x1, y1], [x2, y1], [x2, y2], [x1, y2]] as const).map((p) => applyHomography(transform, p));
        expect(box.x - box.width / 2).toBeCloseTo(Math.min(...mapped.map((p) => p[0])), -0.5);
        expect(box.x + box.width / 2).toBeCloseTo(Math.max(...mapped.map((p) => p[0])), -0.5);
        expect(box.y + box.height / 2).toBeCloseTo(Math.max(...mapped.map((p) => p[1])), -0.5);
      });
      const warped = record!.warped as VadImage;
      expect([warped.width, warped.height]).toEqual([width, height]);
    } finally {
      await workflow.dispose();
    }
  });
});
