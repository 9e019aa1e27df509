import { buildModel, createSessionFromBytes } from '@vad/models';
import type { FeatureBackbone } from '../src/backbone.js';
import { createRandom, gaussianMatrix } from '../src/random.js';

/**
 * A small real ONNX network built in code (two strided 3×3 conv + ReLU stages with seeded random
 * weights), for tests that exercise the PatchCore plumbing quickly. Accuracy tests use the real
 * default backbones.
 */
export async function createTinyBackbone(options: { inputSize?: number; id?: string } = {}): Promise<FeatureBackbone> {
  const inputSize = options.inputSize ?? 64;
  const random = createRandom(11);
  const first = 16;
  const second = 24;
  const session = await createSessionFromBytes(
    buildModel({
      inputs: [{ name: 'image', type: 'float32', shape: ['batch', 3, 'height', 'width'] }],
      outputs: [
        { name: 'stage1', type: 'float32' },
        { name: 'stage2', type: 'float32' },
      ],
      nodes: [
        { op: 'Conv', inputs: ['image', 'w1'], outputs: ['c1'], attributes: { kernel_shape: [3, 3], strides: [4, 4], pads: [1, 1, 1, 1] } },
        { op: 'Relu', inputs: ['c1'], outputs: ['stage1'] },
        { op: 'Conv', inputs: ['stage1', 'w2'], outputs: ['c2'], attributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } },
        { op: 'Relu', inputs: ['c2'], outputs: ['stage2'] },
      ],
      initializers: [
        { name: 'w1', dims: [first, 3, 3, 3], data: gaussianMatrix(first * 27, random, 0.3) },
        { name: 'w2', dims: [second, first, 3, 3], data: gaussianMatrix(second * first * 9, random, 0.1) },
      ],
    }),
    { cache: false, name: 'tiny test backbone' },
  );
  const g1 = Math.ceil(inputSize / 4);
  const g2 = Math.ceil(g1 / 2);
  return {
    id: options.id ?? 'tiny_test',
    inputSize,
    normalization: 'unit',
    taps: ['stage1', 'stage2'],
    tapShapes: [
      { channels: first, height: g1, width: g1 },
      { channels: second, height: g2, width: g2 },
    ],
    async run(input, dims) {
      const outputs = await session.run({ image: { data: input, dims } });
      return [outputs.stage1!, outputs.stage2!].map((map) => ({ data: map.data as Float32Array, dims: map.dims }));
    },
    dispose: () => session.dispose(),
  };
}
