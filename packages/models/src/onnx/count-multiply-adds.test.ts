import { describe, expect, it } from 'vitest';
import { buildModelProto } from './build-model.js';
import { countMultiplyAdds } from './count-multiply-adds.js';

describe('countMultiplyAdds', () => {
  it('counts convolutions (grouped, strided, SAME_UPPER), Gemm and MatMul and propagates shapes', () => {
    const model = buildModelProto({
      inputs: [{ name: 'x', type: 'float32', shape: ['batch', 3, 'height', 'width'] }],
      outputs: [{ name: 'y', type: 'float32' }],
      nodes: [
        // 3→8 channels, 3×3, stride 2, pads 1: 15×15 → 8×8
        { op: 'Conv', inputs: ['x', 'w1'], outputs: ['c1'], attributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } },
        // depthwise 3×3 SAME_UPPER stride 2: 8×8 → 4×4
        { op: 'Conv', inputs: ['c1', 'w2'], outputs: ['c2'], attributes: { kernel_shape: [3, 3], strides: [2, 2], group: 8, auto_pad: 'SAME_UPPER' } },
        { op: 'Relu', inputs: ['c2'], outputs: ['r'] },
        { op: 'ReduceMean', inputs: ['r'], outputs: ['p'], attributes: { axes: [2, 3], keepdims: 0 } },
        { op: 'Gemm', inputs: ['p', 'w3'], outputs: ['g'] },
        { op: 'MatMul', inputs: ['g', 'w4'], outputs: ['y'] },
      ],
      initializers: [
        { name: 'w1', dims: [8, 3, 3, 3], data: new Float32Array(216) },
        { name: 'w2', dims: [8, 1, 3, 3], data: new Float32Array(72) },
        { name: 'w3', dims: [8, 5], data: new Float32Array(40) },
        { name: 'w4', dims: [5, 2], data: new Float32Array(10) },
      ],
    });
    const count = countMultiplyAdds(model, { x: [2, 3, 15, 15] });
    expect(count.shapes.get('c1')).toEqual([2, 8, 8, 8]);
    expect(count.shapes.get('c2')).toEqual([2, 8, 4, 4]);
    expect(count.shapes.get('y')).toEqual([2, 2]);
    expect(count.byOp.Conv).toBe(2 * 8 * 64 * 27 + 2 * 8 * 16 * 9);
    expect(count.byOp.Gemm).toBe(2 * 8 * 5);
    expect(count.byOp.MatMul).toBe(2 * 5 * 2);
    expect(count.total).toBe(count.byOp.Conv! + 80 + 20);
  });
});
