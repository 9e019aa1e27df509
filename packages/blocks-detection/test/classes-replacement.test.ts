import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError, VadImage, type Detections, type MultiLabelClassification, type SingleLabelClassification } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { createImageClassifier, createObjectDetector, replaceClasses } from '../src/index.js';

const photos = sharedPath('datasets/photos');
const yolox = sharedPath('models/yolox_nano.onnx');
const mobilenet = sharedPath('models/mobilenetv2-12-int8.onnx');

const box = (detection_id: string, cls: string) => ({ x: 50, y: 50, width: 20, height: 20, confidence: 0.9, class: cls, class_id: 0, detection_id, parent_id: 'img' });
const detections: Detections = { image: { width: 100, height: 100 }, predictions: [box('a', 'animal'), box('b', 'animal'), box('c', 'animal')] };
const single = (parent_id: string, top: string, confidence: number): SingleLabelClassification => ({
  image: { width: 20, height: 20 },
  predictions: [{ class: top, class_id: 7, confidence }, { class: 'other', class_id: 1, confidence: 1 - confidence }],
  top,
  confidence,
  prediction_type: 'classification',
  parent_id,
});

describe('replaceClasses (Roboflow detections_classes_replacement@v1)', () => {
  it('takes each detection class, id and confidence from the classification whose parent_id is its detection id, and drops the rest', () => {
    const result = replaceClasses(detections, [single('b', 'beagle', 0.8), single('a', 'husky', 0.6)])!;
    expect(result.predictions.map((p) => [p.class, p.class_id, p.confidence])).toEqual([['husky', 7, 0.6], ['beagle', 7, 0.8]]);
    // New detection ids, the boxes unchanged.
    expect(result.predictions.map((p) => p.detection_id)).not.toContain('a');
    expect(result.predictions[0]).toMatchObject({ x: 50, y: 50, width: 20, height: 20 });
  });

  it('multi-label: the most confident class, and no replacement when nothing was predicted', () => {
    const tagged: MultiLabelClassification = { image: { width: 1, height: 1 }, predictions: { cat: { confidence: 0.3, class_id: 2 }, dog: { confidence: 0.9, class_id: 5 } }, predicted_classes: ['dog'], prediction_type: 'classification', parent_id: 'a' };
    const untagged: MultiLabelClassification = { ...tagged, predicted_classes: [], parent_id: 'b' };
    const result = replaceClasses(detections, [tagged, untagged])!;
    expect(result.predictions.map((p) => [p.class, p.class_id, p.confidence])).toEqual([['dog', 5, 0.9]]);
  });

  it('labels (strings, lists of strings) pair by position; a missing one takes the fallback class with confidence 0', () => {
    const result = replaceClasses(detections, ['K619', null, ['A1', 'ignored']], { fallbackClassName: 'unknown' })!;
    expect(result.predictions.map((p) => [p.class, p.class_id, p.confidence])).toEqual([['K619', 0, 1], ['unknown', Number.MAX_SAFE_INTEGER, 0], ['A1', 0, 1]]);
    expect(replaceClasses(detections, ['K619', null], { fallbackClassName: 'unknown', fallbackClassId: 77 })!.predictions[1]).toMatchObject({ class: 'unknown', class_id: 77 });
  });

  it('no classifications give no detections; no detections give null; a wrong value names the property', () => {
    expect(replaceClasses(detections, [])!.predictions).toEqual([]);
    expect(replaceClasses(null, [single('a', 'x', 1)])).toBeNull();
    expect(() => replaceClasses(detections, [{ nope: 1 }], { stepName: 'replace' })).toThrow(InvalidInputError);
    expect(() => replaceClasses(detections, [{ nope: 1 }], { stepName: 'replace' })).toThrow(/classification_predictions\[0\]/);
  });
});

describe.skipIf(!photos || !yolox || !mobilenet)('detector → crops → classifier → replacement on dog.jpg', () => {
  it('renames the COCO "dog" box with an ImageNet dog breed (class ids 151–268)', async () => {
    const names = (await readFile(path.join(photos!, 'coco.names'), 'utf8')).split('\n').map((s) => s.trim()).filter(Boolean);
    const detector = await createObjectDetector({ model: yolox!, classNames: names });
    const classifier = await createImageClassifier({ model: mobilenet! });
    try {
      const image = await VadImage.fromBytes(await readFile(path.join(photos!, 'dog.jpg')));
      const found = await detector.detect(image, { confidence: 0.3 });
      const dog = found.predictions.find((p) => p.class === 'dog')!;
      expect(dog).toBeDefined();
      // What a dynamic crop does: one crop per detection, its id the detection id (Roboflow's crop parent_id).
      const classifications = await Promise.all(
        found.predictions.map(async (p) => {
          const crop = await image.crop({ x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2), width: Math.round(p.width), height: Math.round(p.height) }, { id: p.detection_id });
          return classifier.classify(crop);
        }),
      );
      const replaced = replaceClasses(found, classifications)!;
      expect(replaced.predictions).toHaveLength(found.predictions.length);
      const renamedDog = replaced.predictions[found.predictions.indexOf(dog)]!;
      expect(Number(renamedDog.class)).toBeGreaterThanOrEqual(151);
      expect(Number(renamedDog.class)).toBeLessThanOrEqual(268);
      expect(renamedDog.class_id).toBe(Number(renamedDog.class));
      expect(renamedDog.confidence).toBeCloseTo(classifications[found.predictions.indexOf(dog)]!.confidence, 6);
      expect([renamedDog.x, renamedDog.y]).toEqual([dog.x, dog.y]);
    } finally {
      await detector.dispose();
      await classifier.dispose();
    }
  });
});
