import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VadImage, type Detection, type Detections } from '@vad/core';
import { decodeRle, type SemanticSegmentationDetection } from '@vad/blocks-detection';
import { sharedPath } from '@vad/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photosDir, runCorpus } from './corpus-workflows.js';
// The synthetic ONNX models of @vad/blocks-detection's tests: outputs fixed in code, any input.
import { constantOutputModel } from '../../blocks-detection/test/constant-output-model.js';

const photos = photosDir;
const run = async (file: string, inputs: Record<string, unknown>, modelsDir: string) => (await runCorpus(file, inputs, modelsDir))[0]!;
const models = sharedPath('models');

/**
 * A stand-in for Roboflow's `deep-lab-v3-plus/2`: logits [1, 3, 4, 4] on any input; class 0
 * (background) scores 2 everywhere, class 1 ('dog') 4 in cells x [1, 3), y [1, 4). On a 40×80
 * image a cell is 10 px wide and 20 high: the dog covers x [10, 30), y [20, 80).
 */
function deepLabStandIn(): Uint8Array {
  const data = new Float32Array(3 * 16);
  data.fill(2, 0, 16);
  for (let y = 1; y < 4; y++) for (let x = 1; x < 3; x++) data[16 + y * 4 + x] = 4;
  return constantOutputModel([{ name: 'logits', dims: [1, 3, 4, 4], data }], 64, { names: JSON.stringify(['background', 'dog', 'cat']) });
}

let modelsDir: string;
beforeAll(async () => {
  modelsDir = await mkdtemp(path.join(os.tmpdir(), 'vad-semantic-neighbours-'));
  await writeFile(path.join(modelsDir, 'deeplab.onnx'), deepLabStandIn());
  const map: Record<string, string> = { 'deep-lab-v3-plus/2': 'deeplab.onnx' };
  if (models) map['yolov8n-640'] = path.join(models, 'yolox_nano.onnx');
  await writeFile(path.join(modelsDir, 'models.json'), JSON.stringify(map));
});
afterAll(() => rm(modelsDir, { recursive: true, force: true }));

describe("Roboflow's semantic segmentation definition on a synthetic export reached through models.json", () => {
  it('gives one prediction per class present, with class, confidence and an RLE mask in image pixels', async () => {
    const image = VadImage.fromPixels({ data: new Uint8Array(40 * 80 * 3).fill(120), width: 40, height: 80 });
    const out = await run('segmentation/semantic-segmentation.json', { image }, modelsDir);
    expect(out.model_id).toBe('deep-lab-v3-plus/2');
    const result = out.predictions as Detections;
    expect(result.image).toEqual({ width: 40, height: 80 });
    expect(result.predictions).toHaveLength(1);
    const dog = result.predictions[0] as SemanticSegmentationDetection;
    expect([dog.class, dog.class_id]).toEqual(['dog', 1]);
    expect([dog.x, dog.y, dog.width, dog.height]).toEqual([19.5, 49.5, 19, 59]);
    // Every dog pixel: round(255 · e⁴ / (e² + e⁴ + e⁰)) / 255.
    expect(dog.confidence).toBeCloseTo(Math.round((255 * Math.exp(4)) / (Math.exp(2) + Math.exp(4) + 1)) / 255, 6);
    expect(dog.rle_mask.size).toEqual([80, 40]);
    const mask = decodeRle(dog.rle_mask);
    let inside = 0;
    for (let y = 0; y < 80; y++) for (let x = 0; x < 40; x++) if (mask[y * 40 + x]) {
      inside++;
      expect(x >= 10 && x < 30 && y >= 20).toBe(true);
    }
    expect(inside).toBe(20 * 60);
    expect(typeof dog.detection_id).toBe('string');
    // v2 with a custom pixel threshold between the background's and the dog's confidence: the same dog.
    expect((out.confident as Detections).predictions.map((p) => [p.class, p.width, p.height])).toEqual([['dog', 19, 59]]);
  });
});

describe.skipIf(!photos || !models)("Roboflow's nearest-neighbour definition with the real detector on dog.jpg", () => {
  it('matches query detections to the stricter set, aligned pairs, distances from the box centres', async () => {
    const image = await VadImage.fromBytes(await readFile(path.join(photos!, 'dog.jpg')));
    const out = await run('detection-utils/nearest-neighbor.json', { image }, modelsDir);
    const query = (out.query_predictions as Detections).predictions;
    const matchedQuery = (out.matched_query_detections as Detections).predictions;
    const matchedTarget = (out.matched_target_detections as Detections).predictions;
    expect(query.length).toBeGreaterThan(0);
    expect(matchedQuery.length).toBe(matchedTarget.length);
    expect(matchedQuery.length).toBeGreaterThan(0);
    const centreDistance = (a: Detection, b: Detection) => Math.hypot(a.x - b.x, a.y - b.y);
    for (const detection of query) {
      const distance = detection.nearest_target_distance as number | null;
      expect(distance === null || typeof distance === 'number').toBe(true);
    }
    // Independent check: each matched pair is at the query's nearest distance (within the 1 px tie), which is the minimum over all targets.
    const targets = matchedTarget.concat();
    matchedQuery.forEach((q, i) => {
      expect(q.nearest_target_distance).not.toBeNull();
      expect(centreDistance(q, matchedTarget[i]!)).toBeLessThanOrEqual((q.nearest_target_distance as number) + 1 + 1e-9);
    });
    // The stricter set's detections are also in the 0.3 set (same model, same boxes): at distance 0 each finds itself under another detection_id.
    expect(matchedQuery.some((q) => q.nearest_target_distance === 0)).toBe(true);
    expect(targets.every((t) => t.confidence >= 0.5)).toBe(true);

    // Within one set, a detection never matches itself: each nearest is another detection, bottom centre to top-left.
    const within = (out.within_set as Detections).predictions;
    const withinTargets = (out.within_set_targets as Detections).predictions;
    for (const q of within) {
      if (q.nearest_target_distance === null) continue;
      const bottomCentre = { x: q.x, y: q.y + q.height / 2 };
      const expected = Math.min(...within.filter((t) => t.detection_id !== q.detection_id).map((t) => Math.hypot(bottomCentre.x - (t.x - t.width / 2), bottomCentre.y - (t.y - t.height / 2))));
      expect(q.nearest_target_distance as number).toBeCloseTo(expected, 6);
    }
    expect(withinTargets.length).toBeGreaterThan(0);

    // An unreachable target threshold: no targets, every distance null, no pairs (Roboflow's empty-target test).
    const empty = await run('detection-utils/nearest-neighbor.json', { image, target_confidence: 0.999 }, modelsDir);
    expect((empty.query_predictions as Detections).predictions.every((p) => p.nearest_target_distance === null)).toBe(true);
    expect((empty.matched_query_detections as Detections).predictions).toEqual([]);
    expect((empty.matched_target_detections as Detections).predictions).toEqual([]);

    // max_distance 0: only the detections found again at the same centre match.
    const close = await run('detection-utils/nearest-neighbor.json', { image, max_distance: 0 }, modelsDir);
    expect((close.matched_query_detections as Detections).predictions.every((p) => p.nearest_target_distance === 0)).toBe(true);
  });
});
