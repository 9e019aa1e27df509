import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VadImage } from '@vad/core';
import { buildModel, type InitializerSpec } from '@vad/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectDetector } from '../src/index.js';

/**
 * ONNX models built in code whose outputs are fixed tensors (the input enters through a
 * multiplication by zero): they exercise shape detection, ONNX Runtime I/O, decoding and the
 * mapping back to image pixels for layouts that no shared model file has.
 */
function constantOutputModel(outputs: Array<{ name: string; dims: number[]; data: Float32Array }>, inputSize: number): Uint8Array {
  const initializers: InitializerSpec[] = [
    { name: 'zero', dims: [], data: new Float32Array([0]) },
    ...outputs.map((o) => ({ name: `${o.name}_value`, dims: o.dims, data: o.data })),
  ];
  return buildModel({
    inputs: [{ name: 'images', type: 'float32', shape: [1, 3, inputSize, inputSize] }],
    outputs: outputs.map((o) => ({ name: o.name, type: 'float32' as const, shape: o.dims })),
    nodes: [
      { op: 'ReduceMean', inputs: ['images'], outputs: ['mean'], attributes: { keepdims: 0 } },
      { op: 'Mul', inputs: ['mean', 'zero'], outputs: ['nothing'] },
      ...outputs.map((o) => ({ op: 'Add', inputs: [`${o.name}_value`, 'nothing'], outputs: [o.name] })),
    ],
    initializers,
    opset: 17,
  });
}

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
