import { buildModel, type InitializerSpec } from '@vad/models';

/**
 * ONNX models built in code whose outputs are fixed tensors (the input enters through a
 * multiplication by zero): they exercise shape detection, ONNX Runtime I/O, decoding and the
 * mapping back to image pixels for layouts that no shared model file has.
 */
export function constantOutputModel(outputs: Array<{ name: string; dims: number[]; data: Float32Array }>, inputSize: number, metadata?: Record<string, string>): Uint8Array {
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
    metadata,
  });
}
