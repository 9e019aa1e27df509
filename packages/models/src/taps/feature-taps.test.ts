import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { VadImage } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { buildModel } from '../onnx/build-model.js';
import { decodeModel } from '../onnx/onnx-model.js';
import { preprocessImages } from '../preprocess/preprocess.js';
import { addFeatureTaps, createTappedSession } from './feature-taps.js';

describe('feature taps on a graph built in code', () => {
  const bytes = buildModel({
    inputs: [{ name: 'x', type: 'float32', shape: [1, 4] }],
    outputs: [{ name: 'y', type: 'float32' }],
    nodes: [
      { op: 'Relu', inputs: ['x'], outputs: ['hidden_relu'] },
      { op: 'Neg', inputs: ['hidden_relu'], outputs: ['y'] },
    ],
  });

  it('returns an intermediate tensor beside the outputs, or alone after pruning', async () => {
    const session = await createTappedSession(bytes, ['hidden_relu'], { cache: false });
    const result = await session.run({ x: { data: Float32Array.of(-1, 2, -3, 4), dims: [1, 4] } });
    expect(Array.from(result.hidden_relu!.data as Float32Array)).toEqual([0, 2, 0, 4]);
    expect(Array.from(result.y!.data as Float32Array)).toEqual([-0, -2, -0, -4]);
    await session.dispose();
    const { model } = addFeatureTaps(decodeModel(bytes), ['hidden_relu'], { keepOutputs: false });
    expect(model.graph.node.map((node) => node.opType)).toEqual(['Relu']);
    expect(model.graph.output.map((output) => output.name)).toEqual(['hidden_relu']);
  });

  it('names the closest tensors when a tap is unknown', () => {
    expect(() => addFeatureTaps(decodeModel(bytes), ['hidden_rel'])).toThrowError(/feature tap "hidden_rel" is not a tensor of this model; closest names: "hidden_relu"/);
  });
});

const modelPath = sharedPath('models/mobilenetv2-12-int8.onnx');
const eaglePath = sharedPath('datasets/photos/eagle.jpg');
describe.skipIf(!modelPath || !eaglePath)('feature taps on the int8 MobileNetV2 classifier', () => {
  it('dequantises mid-level maps with the expected shapes and still calls eagle.jpg a bald eagle', async () => {
    const session = await createTappedSession(modelPath!, ['474', '489_quantized', '627'], { cache: false });
    try {
      expect(session.outputNames).toEqual(['output', '474', '489_quantized', '627']);
      const image = await VadImage.fromBytes(await readFile(eaglePath!));
      const { tensor } = await preprocessImages([image], { width: 224, height: 224, normalization: 'imagenet' });
      const result = await session.run({ input: tensor });
      expect(result['474']!.dims).toEqual([1, 32, 112, 112]);
      expect(result['489_quantized']!.dims).toEqual([1, 24, 56, 56]);
      expect(result['627']!.dims).toEqual([1, 1280, 7, 7]);
      for (const tap of ['474', '489_quantized', '627']) {
        const data = result[tap]!.data;
        expect(data).toBeInstanceOf(Float32Array);
        expect((data as Float32Array).some((value) => value !== 0 && !Number.isInteger(value))).toBe(true);
      }
      const logits = result.output!.data as Float32Array;
      // the graph dequantises 627_quantized into 627 itself: our DequantizeLinear must find the same scale and zero point
      const both = await createTappedSession(modelPath!, ['627_quantized'], { cache: false, keepOutputs: false });
      const ours = (await both.run({ input: tensor }))['627_quantized']!.data as Float32Array;
      await both.dispose();
      expect(Array.from(ours)).toEqual(Array.from(result['627']!.data as Float32Array));
      const top = logits.indexOf(Math.max(...logits));
      expect(top).toBe(22); // ImageNet class 22: bald eagle
    } finally {
      await session.dispose();
    }
  });

  it('lists close names for a tap that is not there', async () => {
    await expect(createTappedSession(modelPath!, ['486_quantize'])).rejects.toThrow(/feature tap "486_quantize" is not a tensor of this model; closest names: "486_quantized"/);
  });
});
