import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VadImage } from '@vad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectDetector } from '../src/index.js';
import { constantOutputModel } from './constant-output-model.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'vad-synthetic-detectors-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

async function save(name: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(folder, name);
  await writeFile(file, bytes);
  return file;
}

/** A 128×64 image: letterboxed into 64×64 it is scaled by 0.5 with 16 px bars above and below. */
const image = () => VadImage.fromPixels({ data: new Uint8Array(128 * 64 * 3).fill(90), width: 128, height: 64 });

describe('detectors built in code', () => {
  it('YOLOv8 layout [1, 4 + C, N]: detected by shape, letterbox undone exactly', async () => {
    const anchors = 8 * 8 + 4 * 4 + 2 * 2; // strides 8/16/32 on 64×64
    const data = new Float32Array(6 * anchors);
    const set = (channel: number, value: number) => (data[channel * anchors + 10] = value);
    [32, 32, 16, 8].forEach((v, c) => set(c, v)); // centre of the input, 16×8
    set(4, 0.1);
    set(5, 0.9);
    const file = await save('yolov8.onnx', constantOutputModel([{ name: 'output0', dims: [1, 6, anchors], data }], 64));
    const detector = await createObjectDetector({ model: file, classNames: ['a', 'b'] });
    try {
      expect(detector.decoder).toBe('yolov8');
      const { predictions } = await detector.detect(image(), { confidence: 0.5 });
      expect(predictions).toHaveLength(1);
      expect(predictions[0]).toMatchObject({ x: 64, y: 32, width: 32, height: 16, class: 'b', class_id: 1 });
      expect(predictions[0]!.confidence).toBeCloseTo(0.9, 6);
    } finally {
      await detector.dispose();
    }
  });

  it('DETR layout (boxes [1, Q, 4] + logits [1, Q, C]): square resize undone, sigmoid scores', async () => {
    const boxes = new Float32Array([0.5, 0.5, 0.25, 0.5, 0.1, 0.1, 0.05, 0.05]);
    const logits = new Float32Array([-3, 2, -4, -5]);
    const file = await save('detr.onnx', constantOutputModel([
      { name: 'dets', dims: [1, 2, 4], data: boxes },
      { name: 'labels', dims: [1, 2, 2], data: logits },
    ], 64));
    const detector = await createObjectDetector({ model: file, classNames: ['scratch', 'dent'] });
    try {
      expect(detector.decoder).toBe('detr');
      const { predictions } = await detector.detect(image(), { confidence: 0.5 });
      expect(predictions).toHaveLength(1);
      expect(predictions[0]).toMatchObject({ x: 64, y: 32, width: 32, height: 32, class: 'dent' });
      expect(predictions[0]!.confidence).toBeCloseTo(1 / (1 + Math.exp(-2)), 5);
    } finally {
      await detector.dispose();
    }
  });

  it('a wrong class count is caught from the static output shapes, before any image', async () => {
    const file = await save('yolov8-3.onnx', constantOutputModel([{ name: 'output0', dims: [1, 7, 84], data: new Float32Array(7 * 84) }], 64));
    await expect(createObjectDetector({ model: file, classNames: ['a', 'b'] })).rejects.toThrowError(/class_names has 2 entries, but the model scores 3 classes/);
  });
});
