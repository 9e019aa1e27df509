import { describe, expect, it } from 'vitest';
import { buildModel, buildModelProto } from './build-model.js';
import { decodeModel, encodeModel, tensorProtoToArray } from './onnx-model.js';
import { createSessionFromBytes } from '../runtime/session.js';

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

describe('buildModel', () => {
  it('builds a MatMul + ReduceMin graph whose numbers match a direct computation', async () => {
    const random = seededRandom(7);
    const rows = 5;
    const depth = 16;
    const columns = 9;
    const queries = Float32Array.from({ length: rows * depth }, random);
    const bank = Float32Array.from({ length: depth * columns }, random);
    const bytes = buildModel({
      inputs: [{ name: 'queries', type: 'float32', shape: ['batch', depth] }],
      outputs: [
        { name: 'products', type: 'float32', shape: ['batch', columns] },
        { name: 'nearest', type: 'float32', shape: ['batch'] },
      ],
      nodes: [
        { op: 'MatMul', inputs: ['queries', 'bank'], outputs: ['products'] },
        { op: 'ReduceMin', inputs: ['products'], outputs: ['nearest'], attributes: { axes: [1], keepdims: 0 } },
      ],
      initializers: [{ name: 'bank', dims: [depth, columns], data: bank }],
      opset: 17,
    });
    const session = await createSessionFromBytes(bytes, { cache: false });
    try {
      const outputs = await session.run({ queries: { data: queries, dims: [rows, depth] } });
      expect(outputs.products!.dims).toEqual([rows, columns]);
      expect(outputs.nearest!.dims).toEqual([rows]);
      const products = outputs.products!.data as Float32Array;
      const nearest = outputs.nearest!.data as Float32Array;
      for (let row = 0; row < rows; row++) {
        let minimum = Infinity;
        for (let column = 0; column < columns; column++) {
          let sum = 0;
          for (let k = 0; k < depth; k++) sum += queries[row * depth + k]! * bank[k * columns + column]!;
          expect(products[row * columns + column]).toBeCloseTo(sum, 5);
          minimum = Math.min(minimum, sum);
        }
        expect(nearest[row]).toBeCloseTo(minimum, 5);
      }
    } finally {
      await session.dispose();
    }
  });

  it('round-trips through decodeModel and encodeModel, keeping attributes, initializers and metadata', () => {
    const weights = Float32Array.from([1, -2.5, 3.25, 4]);
    const model = buildModelProto({
      inputs: [{ name: 'x', type: 'float32', shape: [-1, 2] }],
      outputs: [{ name: 'y', type: 'float32' }],
      nodes: [
        { op: 'Gemm', inputs: ['x', 'w'], outputs: ['g'], attributes: { alpha: 0.5, transB: 1, beta: { float: 1 } } },
        { op: 'Clip', inputs: ['g', 'low', 'high'], outputs: ['y'], name: 'clip' },
      ],
      initializers: [
        { name: 'w', dims: [2, 2], data: weights },
        { name: 'low', dims: [], data: Float32Array.of(0) },
        { name: 'high', dims: [], data: Float32Array.of(6) },
      ],
      metadata: { purpose: 'test' },
    });
    const decoded = decodeModel(encodeModel(model));
    expect(decoded.opsetImport).toEqual([{ domain: '', version: 17 }]);
    expect(decoded.metadataProps).toEqual([{ key: 'purpose', value: 'test' }]);
    const gemm = decoded.graph.node[0]!;
    expect(gemm.opType).toBe('Gemm');
    expect(gemm.attribute.find((attribute) => attribute.name === 'alpha')?.f).toBeCloseTo(0.5);
    expect(gemm.attribute.find((attribute) => attribute.name === 'transB')?.i).toBe(1);
    expect(gemm.attribute.find((attribute) => attribute.name === 'beta')?.type).toBe(1);
    expect(decoded.graph.input[0]!.type?.tensorType?.shape?.dim[1]).toEqual({ dimValue: 2 });
    expect(decoded.graph.input[0]!.type?.tensorType?.shape?.dim[0]?.dimParam).toBeTypeOf('string');
    expect(Array.from(tensorProtoToArray(decoded.graph.initializer[0]!) as Float32Array)).toEqual(Array.from(weights));
    expect(decoded.graph.initializer[1]!.dims).toEqual([]);
  });

  it('rejects bytes that are not an ONNX model with a ModelLoadError naming them', () => {
    expect(() => decodeModel(Uint8Array.from([0xff, 0xff, 0xff, 0x07, 0x01]), { name: 'broken.onnx' })).toThrowError(/broken\.onnx is not a valid ONNX model/);
  });
});
