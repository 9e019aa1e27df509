import {
  createTensorProto,
  encodeModel,
  onnxAttributeTypes,
  onnxDataTypes,
  type OnnxAttribute,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
  type TensorElementType,
} from './onnx-model.js';

/** A graph input or output: a dimension is a size, -1 or a name for a free (batch) dimension. */
export interface ValueSpec {
  name: string;
  type: TensorElementType;
  /** Omit for an output whose shape ONNX Runtime infers. */
  shape?: readonly (number | string)[];
}

/**
 * An attribute value. Integers become INT, other numbers FLOAT; arrays of integers INTS, other
 * arrays (and Float32Array) FLOATS; strings STRING / STRINGS. `{ float: 1 }`, `{ floats: [1, 2] }`
 * force floats where a value happens to be integral; `{ tensor }` is a TENSOR attribute.
 */
export type AttributeValue =
  | number
  | string
  | readonly number[]
  | readonly string[]
  | Float32Array
  | { float: number }
  | { floats: readonly number[] }
  | { tensor: InitializerSpec };

export interface NodeSpec {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Record<string, AttributeValue>;
  name?: string;
  domain?: string;
}

export interface InitializerSpec {
  name: string;
  dims: readonly number[];
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;
  /** Overrides the type the array implies ('bool' for a Uint8Array). */
  type?: TensorElementType;
}

export interface ModelSpec {
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
  nodes: readonly NodeSpec[];
  initializers?: readonly InitializerSpec[];
  /** Default opset of the ai.onnx domain (17 unless given). */
  opset?: number;
  /** More operator sets, e.g. `{ 'com.microsoft': 1 }`. */
  extraOpsets?: Record<string, number>;
  name?: string;
  producerName?: string;
  metadata?: Record<string, string>;
}

const textEncoder = new TextEncoder();

/** An ONNX ValueInfoProto for a tensor of `type` and `shape` (-1 or a name: a free dimension). */
export function createValueInfo(spec: ValueSpec): OnnxValueInfo {
  return {
    name: spec.name,
    type: {
      tensorType: {
        elemType: onnxDataTypes[spec.type],
        ...(spec.shape && {
          shape: {
            dim: spec.shape.map((dim, index) =>
              typeof dim === 'string' ? { dimParam: dim } : dim < 0 ? { dimParam: `${spec.name}_dim${index}` } : { dimValue: dim },
            ),
          },
        }),
      },
    },
  };
}

/** An ONNX AttributeProto from a plain value (see `AttributeValue` for how types are chosen). */
export function createAttribute(name: string, value: AttributeValue): OnnxAttribute {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { name, type: onnxAttributeTypes.int, i: value } : { name, type: onnxAttributeTypes.float, f: value };
  }
  if (typeof value === 'string') return { name, type: onnxAttributeTypes.string, s: textEncoder.encode(value) };
  if (value instanceof Float32Array) return { name, type: onnxAttributeTypes.floats, floats: Array.from(value) };
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'string')) {
      return { name, type: onnxAttributeTypes.strings, strings: (value as string[]).map((item) => textEncoder.encode(item)) };
    }
    const numbers = value as number[];
    return numbers.every((item) => Number.isInteger(item))
      ? { name, type: onnxAttributeTypes.ints, ints: [...numbers] }
      : { name, type: onnxAttributeTypes.floats, floats: [...numbers] };
  }
  if ('float' in value) return { name, type: onnxAttributeTypes.float, f: value.float };
  if ('floats' in value) return { name, type: onnxAttributeTypes.floats, floats: [...value.floats] };
  if ('tensor' in value) {
    const { name: tensorName, dims, data, type } = value.tensor;
    return { name, type: onnxAttributeTypes.tensor, t: createTensorProto(tensorName, dims, data, type) };
  }
  throw new TypeError(`attribute "${name}" has a value vad cannot encode: ${JSON.stringify(value)}`);
}

/** An ONNX NodeProto from a `NodeSpec`. */
export function createNode(spec: NodeSpec): OnnxNode {
  return {
    opType: spec.op,
    input: [...spec.inputs],
    output: [...spec.outputs],
    ...(spec.name && { name: spec.name }),
    ...(spec.domain && { domain: spec.domain }),
    attribute: Object.entries(spec.attributes ?? {}).map(([name, value]) => createAttribute(name, value)),
  };
}

/** A ModelProto (plain objects) for a graph built in code; `buildModel` encodes it. */
export function buildModelProto(spec: ModelSpec): OnnxModel {
  const initializer: OnnxTensor[] = (spec.initializers ?? []).map((item) => createTensorProto(item.name, item.dims, item.data, item.type));
  return {
    irVersion: 8,
    opsetImport: [
      { domain: '', version: spec.opset ?? 17 },
      ...Object.entries(spec.extraOpsets ?? {}).map(([domain, version]) => ({ domain, version })),
    ],
    producerName: spec.producerName ?? '@vad/models',
    graph: {
      name: spec.name ?? 'graph',
      node: spec.nodes.map(createNode),
      initializer,
      input: spec.inputs.map(createValueInfo),
      output: spec.outputs.map(createValueInfo),
      valueInfo: [],
    },
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
}

/**
 * ONNX model bytes for a graph built in code, ready for `createSessionFromBytes`.
 *
 * ```ts
 * const bytes = buildModel({
 *   inputs: [{ name: 'x', type: 'float32', shape: ['batch', 512] }],
 *   outputs: [{ name: 'y', type: 'float32' }],
 *   nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }],
 *   initializers: [{ name: 'w', dims: [512, 10], data: weights }],
 * });
 * ```
 */
export function buildModel(spec: ModelSpec): Uint8Array {
  return encodeModel(buildModelProto(spec));
}
