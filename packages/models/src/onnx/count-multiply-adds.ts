import { InvalidInputError } from '@vad/core';
import { tensorProtoToArray, type OnnxAttribute, type OnnxModel, type OnnxNode } from './onnx-model.js';

export interface MultiplyAddCount {
  /** Multiply-adds of the whole graph for the given input dims. */
  total: number;
  /** Multiply-adds per op type (Conv, Gemm, MatMul). */
  byOp: Record<string, number>;
  /** Shapes of every tensor, as propagated. */
  shapes: Map<string, number[]>;
}

const elementwise = new Set([
  'Relu', 'Clip', 'Sigmoid', 'Tanh', 'LeakyRelu', 'Elu', 'Selu', 'Softplus', 'HardSigmoid', 'Identity', 'Softmax',
  'Add', 'Sub', 'Mul', 'Div', 'Sum', 'Max', 'Min', 'Mean', 'DequantizeLinear', 'QuantizeLinear', 'Cast',
]);

function attribute(node: OnnxNode, name: string): OnnxAttribute | undefined {
  return node.attribute.find((item) => item.name === name);
}
function ints(node: OnnxNode, name: string, fallback: number[]): number[] {
  return attribute(node, name)?.ints?.map(Number) ?? fallback;
}
function text(node: OnnxNode, name: string, fallback: string): string {
  const bytes = attribute(node, name)?.s;
  return bytes ? new TextDecoder().decode(bytes) : fallback;
}

function broadcast(shapes: number[][]): number[] {
  const rank = Math.max(...shapes.map((shape) => shape.length));
  return Array.from({ length: rank }, (_, index) =>
    Math.max(...shapes.map((shape) => shape[shape.length - rank + index] ?? 1)),
  );
}

/** Output spatial size of a window op (Conv, pools) with ONNX padding attributes, ceil_mode 0. */
function windowOutput(node: OnnxNode, spatial: number[], kernel: number[]): number[] {
  const strides = ints(node, 'strides', spatial.map(() => 1));
  const dilations = ints(node, 'dilations', spatial.map(() => 1));
  const autoPad = text(node, 'auto_pad', 'NOTSET');
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return spatial.map((size, index) => Math.ceil(size / strides[index]!));
  const pads = autoPad === 'VALID' ? spatial.flatMap(() => [0, 0]) : ints(node, 'pads', spatial.flatMap(() => [0, 0]));
  return spatial.map((size, index) => {
    const padded = size + pads[index]! + pads[index + spatial.length]!;
    return Math.floor((padded - dilations[index]! * (kernel[index]! - 1) - 1) / strides[index]!) + 1;
  });
}

/**
 * Counts the multiply-adds of an ONNX graph (Conv, ConvTranspose-free CNNs, Gemm, MatMul) by
 * propagating shapes from `inputDims`. Ops that only move or compare values count zero. An op
 * it cannot propagate a shape through is an error naming the node.
 */
export function countMultiplyAdds(model: OnnxModel, inputDims: Record<string, readonly number[]>): MultiplyAddCount {
  const shapes = new Map<string, number[]>();
  for (const [name, dims] of Object.entries(inputDims)) shapes.set(name, [...dims]);
  const constants = new Map<string, number[]>();
  for (const tensor of model.graph.initializer) {
    shapes.set(tensor.name ?? '', tensor.dims.map(Number));
    if (tensor.dataType === 7 && tensor.dims.length === 1) constants.set(tensor.name ?? '', Array.from(tensorProtoToArray(tensor) as BigInt64Array, Number));
  }
  const byOp: Record<string, number> = {};
  const count = (op: string, value: number) => {
    byOp[op] = (byOp[op] ?? 0) + value;
  };
  for (const node of model.graph.node) {
    const input = (index: number): number[] => {
      const shape = shapes.get(node.input[index] ?? '');
      if (!shape) throw new InvalidInputError({ message: `countMultiplyAdds: no shape for "${node.input[index]}", input ${index} of ${node.opType} node "${node.name ?? ''}"` });
      return shape;
    };
    const set = (shape: number[]) => shapes.set(node.output[0]!, shape);
    const op = node.opType;
    if (op === 'Conv') {
      const [batch, , ...spatial] = input(0) as [number, number, ...number[]];
      const [outputChannels, perGroupInput, ...kernel] = input(1) as [number, number, ...number[]];
      const outputSpatial = windowOutput(node, spatial, kernel);
      count(op, batch * outputChannels * outputSpatial.reduce((a, b) => a * b, 1) * perGroupInput * kernel.reduce((a, b) => a * b, 1));
      set([batch, outputChannels, ...outputSpatial]);
    } else if (op === 'MaxPool' || op === 'AveragePool') {
      const [batch, channels, ...spatial] = input(0) as [number, number, ...number[]];
      set([batch, channels, ...windowOutput(node, spatial, ints(node, 'kernel_shape', []))]);
    } else if (op === 'Gemm') {
      const a = input(0);
      const b = input(1);
      const transA = Number(attribute(node, 'transA')?.i ?? 0);
      const transB = Number(attribute(node, 'transB')?.i ?? 0);
      const [rows, depth] = transA ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
      const columns = transB ? b[0]! : b[1]!;
      count(op, rows * depth * columns);
      set([rows, columns]);
    } else if (op === 'MatMul') {
      const a = input(0);
      const b = input(1);
      const rows = a[a.length - 2]!;
      const depth = a[a.length - 1]!;
      const columns = b[b.length - 1]!;
      const batch = broadcast([a.slice(0, -2), b.slice(0, -2)]);
      count(op, batch.reduce((x, y) => x * y, 1) * rows * depth * columns);
      set([...batch, rows, columns]);
    } else if (elementwise.has(op)) {
      set(broadcast(node.input.filter((name, index) => name && !(op === 'Clip' && index > 0) && !(op.endsWith('Linear') && index > 0)).map((_, index) => input(index))));
    } else if (op === 'Concat') {
      const parts = node.input.map((_, index) => input(index));
      const rank = parts[0]!.length;
      const axis = (Number(attribute(node, 'axis')?.i ?? 0) + rank) % rank;
      const shape = [...parts[0]!];
      shape[axis] = parts.reduce((sum, part) => sum + part[axis]!, 0);
      set(shape);
    } else if (op === 'ReduceMean' || op === 'ReduceMax' || op === 'GlobalAveragePool' || op === 'GlobalMaxPool') {
      const shape = input(0);
      const global = op.startsWith('Global');
      const axes = global ? shape.slice(2).map((_, index) => index + 2) : ints(node, 'axes', shape.map((_, index) => index)).map((axis) => (axis + shape.length) % shape.length);
      const keep = global || Number(attribute(node, 'keepdims')?.i ?? 1) === 1;
      set(keep ? shape.map((size, index) => (axes.includes(index) ? 1 : size)) : shape.filter((_, index) => !axes.includes(index)));
    } else if (op === 'Transpose') {
      const shape = input(0);
      set(ints(node, 'perm', shape.map((_, index) => shape.length - 1 - index)).map((axis) => shape[axis]!));
    } else if (op === 'Flatten') {
      const shape = input(0);
      const axis = Number(attribute(node, 'axis')?.i ?? 1);
      set([shape.slice(0, axis).reduce((a, b) => a * b, 1), shape.slice(axis).reduce((a, b) => a * b, 1)]);
    } else if (op === 'Pad') {
      const shape = input(0);
      const pads = constants.get(node.input[1] ?? '') ?? ints(node, 'pads', []);
      set(shape.map((size, index) => size + (pads[index] ?? 0) + (pads[index + shape.length] ?? 0)));
    } else if (op === 'Reshape') {
      const shape = input(0);
      const target = constants.get(node.input[1] ?? '');
      if (!target) throw new InvalidInputError({ message: `countMultiplyAdds: Reshape node "${node.name ?? ''}" has no constant shape` });
      const resolved = target.map((size, index) => (size === 0 ? shape[index]! : size));
      const known = resolved.filter((size) => size !== -1).reduce((a, b) => a * b, 1);
      set(resolved.map((size) => (size === -1 ? shape.reduce((a, b) => a * b, 1) / known : size)));
    } else {
      throw new InvalidInputError({ message: `countMultiplyAdds: cannot propagate a shape through ${op} node "${node.name ?? ''}"` });
    }
  }
  return { total: Object.values(byOp).reduce((sum, value) => sum + value, 0), byOp, shapes };
}
