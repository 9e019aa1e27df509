import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError, ModelLoadError, VadImage } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fixture from '../src/__fixtures__/photo-objects.json' with { type: 'json' };
import { createObjectDetector, type ObjectDetector } from '../src/index.js';
import { bestMatch, cornersOf, iou } from './iou.js';

const photos = sharedPath('datasets/photos');
const yolox = sharedPath('models/yolox_nano.onnx');
const nanodet = sharedPath('models/nanodet_m.onnx');
type PhotoName = 'dog.jpg' | 'horses.jpg';

async function cocoNames(): Promise<string[]> {
  return (await readFile(path.join(photos!, 'coco.names'), 'utf8')).split('\n').map((s) => s.trim()).filter(Boolean);
}
async function photo(name: PhotoName): Promise<VadImage> {
  return VadImage.fromBytes(await readFile(path.join(photos!, name)));
}

describe.skipIf(!photos || !yolox)('YOLOX-nano (raw grid head, BGR 0–255, top-left letterbox)', () => {
  let detector: ObjectDetector;
  beforeAll(async () => {
    detector = await createObjectDetector({ model: yolox!, classNames: await cocoNames() });
  });
  afterAll(() => detector?.dispose());

  it('is recognised as YOLOX from its [1, 3549, 85] output and reads its 416×416 input', () => {
    expect(detector.decoder).toBe('yolox');
    expect([detector.inputWidth, detector.inputHeight]).toEqual([416, 416]);
  });

  for (const name of ['dog.jpg', 'horses.jpg'] as const) {
    it(`finds every object boxed by eye in ${name} (IoU ≥ 0.6, right class)`, async () => {
      const image = await photo(name);
      const result = await detector.detect(image, { confidence: 0.3 });
      expect(result.image).toEqual({ width: fixture[name].width, height: fixture[name].height });
      for (const object of fixture[name].objects) {
        expect(bestMatch(result.predictions, object.box as [number, number, number, number], object.accept), object.name).toBeGreaterThanOrEqual(0.6);
      }
      for (const p of result.predictions) {
        expect(p.parent_id).toBe(image.id);
        expect(p.x - p.width / 2).toBeGreaterThanOrEqual(0);
        expect(p.x + p.width / 2).toBeLessThanOrEqual(image.width);
        expect(Object.keys(p).sort()).toEqual(['class', 'class_id', 'confidence', 'detection_id', 'height', 'parent_id', 'width', 'x', 'y']);
      }
    });
  }

  it('applies the class filter, the confidence threshold and max detections', async () => {
    const image = await photo('dog.jpg');
    const onlyDogs = await detector.detect(image, { confidence: 0.3, classFilter: ['dog'] });
    expect(onlyDogs.predictions.map((p) => p.class)).toEqual(['dog']);
    const strict = await detector.detect(image, { confidence: 0.8 });
    expect(strict.predictions.every((p) => p.confidence >= 0.8)).toBe(true);
    expect(strict.predictions.length).toBeGreaterThan(0);
    const one = await detector.detect(image, { confidence: 0.3, maxDetections: 1 });
    expect(one.predictions).toHaveLength(1);
  });

  it('maps boxes back exactly: a detection on a crop lands where the same object is in the full photo', async () => {
    const image = await photo('dog.jpg');
    const crop = await image.crop({ x: 100, y: 180, width: 260, height: 380 });
    const result = await detector.detect(crop, { confidence: 0.3, classFilter: ['dog'] });
    expect(result.lineage).toEqual({ parentId: image.id, offsetX: 100, offsetY: 180, parentWidth: 768, parentHeight: 576 });
    const dog = result.predictions[0]!;
    const inParent = cornersOf({ ...dog, x: dog.x + 100, y: dog.y + 180 });
    expect(iou(inParent, fixture['dog.jpg'].objects[0]!.box as [number, number, number, number])).toBeGreaterThan(0.7);
  });
});

describe.skipIf(!photos || !nanodet)('NanoDet-m (6 outputs: per-stride scores and distance distributions)', () => {
  let detector: ObjectDetector;
  beforeAll(async () => {
    detector = await createObjectDetector({ model: nanodet!, classNames: await cocoNames() });
  });
  afterAll(() => detector?.dispose());

  it('is recognised as NanoDet', () => {
    expect(detector.decoder).toBe('nanodet');
  });

  it('finds the dog, the bicycle and the truck/car in dog.jpg (IoU ≥ 0.6)', async () => {
    const result = await detector.detect(await photo('dog.jpg'), { confidence: 0.35 });
    for (const object of fixture['dog.jpg'].objects) {
      expect(bestMatch(result.predictions, object.box as [number, number, number, number], object.accept), object.name).toBeGreaterThanOrEqual(0.6);
    }
  });

  it('finds horses in horses.jpg; the weak nanodet-m calls some of them cow or sheep', async () => {
    const result = await detector.detect(await photo('horses.jpg'), { confidence: 0.35 });
    const objects = fixture['horses.jpg'].objects;
    const asHorse = objects.filter((o) => bestMatch(result.predictions, o.box as [number, number, number, number], ['horse']) >= 0.5);
    expect(asHorse.length).toBeGreaterThanOrEqual(2);
    // the three large horses are each boxed (IoU ≥ 0.6) as some hoofed animal
    for (const object of objects.slice(0, 3)) {
      expect(bestMatch(result.predictions, object.box as [number, number, number, number], ['horse', 'cow', 'sheep']), object.name).toBeGreaterThanOrEqual(0.6);
    }
  });
});

describe.skipIf(!yolox)('detector errors', () => {
  it('rejects a class-name list of the wrong length, naming both counts', async () => {
    const attempt = createObjectDetector({ model: yolox!, classNames: ['cat', 'dog'] });
    await expect(attempt).rejects.toThrowError(/class_names has 2 entries, but the model scores 80 classes/);
    await attempt.catch((error) => expect(InvalidInputError.isInstance(error) && error.property === 'class_names').toBe(true));
  });

  it('rejects a model whose outputs match no decoder (an ImageNet classifier)', async () => {
    const classifier = sharedPath('models/mobilenetv2-12-int8.onnx');
    if (!classifier) return;
    const attempt = createObjectDetector({ model: classifier });
    await expect(attempt).rejects.toThrowError(/match no detection decoder/);
    await attempt.catch((error) => expect(ModelLoadError.isInstance(error)).toBe(true));
  });

  it('names the missing file', async () => {
    await expect(createObjectDetector({ model: '/nowhere/model.onnx' })).rejects.toThrowError(/\/nowhere\/model\.onnx/);
  });
});

describe.skipIf(!photos || !yolox)('class names from model metadata', () => {
  it('reads Ultralytics-style names written into the ONNX file', async () => {
    const { decodeModel, encodeModel } = await import('@vad/models');
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const names = await cocoNames();
    const model = decodeModel(new Uint8Array(await readFile(yolox!)));
    model.metadataProps = [{ key: 'names', value: `{${names.map((n, i) => `${i}: '${n}'`).join(', ')}}` }];
    const folder = await mkdtemp(path.join(os.tmpdir(), 'vad-detection-'));
    const file = path.join(folder, 'yolox-with-names.onnx');
    await writeFile(file, encodeModel(model));
    const detector = await createObjectDetector({ model: file });
    try {
      expect(detector.classNames).toHaveLength(80);
      const result = await detector.detect(await photo('dog.jpg'), { confidence: 0.5 });
      expect(result.predictions.map((p) => p.class)).toContain('dog');
    } finally {
      await detector.dispose();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
