import { ModelLoadError } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { decodeDetections, detectDecoder } from './detect-decoder.js';
import { decodeDetr } from './detr.js';
import { decodeYoloV5, decodeYolox } from './yolov5.js';
import { decodeYoloV8 } from './yolov8.js';

const input = { inputWidth: 416, inputHeight: 416 };
const shape = (...dims: number[]) => ({ name: 'output', dims });

describe('detectDecoder', () => {
  it('recognises each layout from its shapes', () => {
    expect(detectDecoder([shape(1, 84, 3549)], input)).toBe('yolov8');
    expect(detectDecoder([shape(1, 3549, 85)], input)).toBe('yolox');
    expect(detectDecoder([shape(1, 10647, 85)], input)).toBe('yolov5');
    expect(detectDecoder([{ name: 'dets', dims: [1, 300, 4] }, { name: 'labels', dims: [1, 300, 91] }], input)).toBe('detr');
    const nanodet = [2704, 676, 169].flatMap((n) => [shape(1, n, 80), shape(1, n, 32)]);
    expect(detectDecoder(nanodet, input)).toBe('nanodet');
  });

  it('rejects outputs that match no decoder with a ModelLoadError listing the shapes', () => {
    const attempt = () => detectDecoder([{ name: 'logits', dims: [1, 1000] }], input);
    expect(attempt).toThrowError(/logits \[1, 1000\].*match no detection decoder/);
    try {
      attempt();
    } catch (error) {
      expect(ModelLoadError.isInstance(error)).toBe(true);
    }
  });

  it('rejects an explicit decoder whose layout the outputs do not have', () => {
    const outputs = [{ name: 'output', dims: [1, 100, 85], data: new Float32Array(8500) }];
    expect(() => decodeDetections(outputs, { ...input, confidenceThreshold: 0.5, decoder: 'yolox' })).toThrowError(/decoder "yolox" expects \[1, 3549, 5 \+ C\]/);
  });
});

describe('decoders', () => {
  it('YOLOv8: channel-major [1, 4 + C, N], best class per candidate', () => {
    const count = 5;
    const classes = 3;
    const data = new Float32Array((4 + classes) * count);
    const set = (channel: number, n: number, value: number) => (data[channel * count + n] = value);
    // candidate 2: centre (100, 50), 40×20, class 1 at 0.8
    [100, 50, 40, 20].forEach((v, c) => set(c, 2, v));
    set(4 + 0, 2, 0.1);
    set(4 + 1, 2, 0.8);
    set(4 + 2, 2, 0.3);
    set(4 + 2, 4, 0.2); // below the threshold
    const boxes = decodeYoloV8({ name: 'o', dims: [1, 4 + classes, count], data }, { ...input, confidenceThreshold: 0.25 });
    expect(boxes.count).toBe(1);
    expect([...boxes.corners]).toEqual([80, 40, 120, 60]);
    expect(boxes.classIds[0]).toBe(1);
    expect(boxes.scores[0]).toBeCloseTo(0.8, 6);
  });

  it('YOLOv5: score is objectness × class probability', () => {
    const data = new Float32Array([10, 10, 4, 4, 0.9, 0.2, 0.5, /* row 2 */ 0, 0, 1, 1, 0.1, 0.9, 0.9]);
    const boxes = decodeYoloV5({ name: 'o', dims: [1, 2, 7], data }, { ...input, confidenceThreshold: 0.3 });
    expect(boxes.count).toBe(1);
    expect(boxes.scores[0]).toBeCloseTo(0.45, 6);
    expect(boxes.classIds[0]).toBe(1);
    expect([...boxes.corners]).toEqual([8, 8, 12, 12]);
  });

  it('YOLOX: grid offsets and exp sizes scaled by each level’s stride', () => {
    const width = 64; // grid 8×8 + 4×4 + 2×2 = 84 anchors
    const count = 84;
    const data = new Float32Array(count * 6);
    // anchor 64 + 5 is stride 16, grid (x 1, y 1): centre ((0.5 + 1)·16, (0.25 + 1)·16) = (24, 20); size e^0·16 × e^1·16
    const row = 64 + 5;
    data.set([0.5, 0.25, 0, 1, 0.9, 0.8], row * 6);
    const boxes = decodeYolox({ name: 'o', dims: [1, count, 6], data }, { inputWidth: width, inputHeight: width, confidenceThreshold: 0.5 });
    expect(boxes.count).toBe(1);
    const h = Math.E * 16;
    const expected = [24 - 8, 20 - h / 2, 24 + 8, 20 + h / 2];
    [...boxes.corners].forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
    expect(boxes.scores[0]).toBeCloseTo(0.72, 6);
  });

  it('DETR: normalised cxcywh scaled to the input, sigmoid of the best logit', () => {
    const boxesData = new Float32Array([0.5, 0.5, 0.25, 0.5, /* query 2 */ 0.1, 0.1, 0.1, 0.1]);
    const logits = new Float32Array([-1, 2, 0, /* query 2 */ -5, -4, -6]);
    const boxes = decodeDetr({ name: 'dets', dims: [1, 2, 4], data: boxesData }, { name: 'labels', dims: [1, 2, 3], data: logits }, { inputWidth: 400, inputHeight: 200, confidenceThreshold: 0.5 });
    expect(boxes.count).toBe(1);
    expect([...boxes.corners]).toEqual([150, 50, 250, 150]);
    expect(boxes.classIds[0]).toBe(1);
    expect(boxes.scores[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
  });
});
