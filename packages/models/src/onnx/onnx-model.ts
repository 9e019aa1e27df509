import protobuf from 'protobufjs';
import { ModelLoadError } from '@vad/core';
import { onnxSchema } from './onnx-schema.js';

/** ONNX element types vad uses, by the names onnxruntime uses for tensor types. */
export const onnxDataTypes = {
  float32: 1,
  uint8: 2,
  int8: 3,
  uint16: 4,
  int16: 5,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
  float64: 11,
} as const;
export type TensorElementType = keyof typeof onnxDataTypes;

/** ONNX attribute type numbers (AttributeProto.AttributeType). */
export const onnxAttributeTypes = {
  float: 1, int: 2, string: 3, tensor: 4, graph: 5, floats: 6, ints: 7, strings: 8, tensors: 9, graphs: 10,
} as const;

export interface OnnxTensor {
  name?: string;
  dims: number[];
  dataType: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  doubleData?: number[];
  uint64Data?: number[];
  stringData?: Uint8Array[];
  externalData?: OnnxStringEntry[];
  dataLocation?: number;
  docString?: string;
}

export interface OnnxDimension {
  dimValue?: number;
  dimParam?: string;
  denotation?: string;
}

export interface OnnxType {
  tensorType?: { elemType: number; shape?: { dim: OnnxDimension[] } };
  denotation?: string;
}

export interface OnnxValueInfo {
  name: string;
  type?: OnnxType;
  docString?: string;
}

export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  g?: OnnxGraph;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  tensors?: OnnxTensor[];
  graphs?: OnnxGraph[];
  refAttrName?: string;
  docString?: string;
}

export interface OnnxNode {
  input: string[];
  output: string[];
  name?: string;
  opType: string;
  domain?: string;
  attribute: OnnxAttribute[];
  docString?: string;
}

export interface OnnxStringEntry {
  key: string;
  value: string;
}

export interface OnnxGraph {
  node: OnnxNode[];
  name?: string;
  initializer: OnnxTensor[];
  input: OnnxValueInfo[];
  output: OnnxValueInfo[];
  valueInfo: OnnxValueInfo[];
  docString?: string;
  quantizationAnnotation?: { tensorName: string; quantParameterTensorNames: OnnxStringEntry[] }[];
}

export interface OnnxOperatorSet {
  domain?: string;
  version: number;
}

/** A decoded ONNX ModelProto as plain objects (int64 fields as numbers, repeated fields as arrays). */
export interface OnnxModel {
  irVersion: number;
  opsetImport: OnnxOperatorSet[];
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  graph: OnnxGraph;
  metadataProps: OnnxStringEntry[];
}

let modelType: protobuf.Type | undefined;
function modelProtoType(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(onnxSchema as unknown as protobuf.INamespace).lookupType('onnx.ModelProto');
  return modelType;
}

/**
 * Decodes ONNX model bytes into plain objects. `name` (a path or URL) is used in the error when the
 * bytes are not an ONNX model.
 */
export function decodeModel(bytes: Uint8Array, options: { name?: string } = {}): OnnxModel {
  const type = modelProtoType();
  let model: OnnxModel;
  try {
    const message = type.decode(bytes);
    model = type.toObject(message, { longs: Number, enums: Number, arrays: true, defaults: false }) as OnnxModel;
  } catch (cause) {
    throw new ModelLoadError({
      message: `${options.name ?? 'model bytes'} is not a valid ONNX model (${(cause as Error).message})`,
      path: options.name,
      cause,
    });
  }
  if (!model.graph) {
    throw new ModelLoadError({ message: `${options.name ?? 'model bytes'} is not a valid ONNX model (no graph)`, path: options.name });
  }
  model.graph.node ??= [];
  model.graph.initializer ??= [];
  model.graph.input ??= [];
  model.graph.output ??= [];
  model.graph.valueInfo ??= [];
  model.opsetImport ??= [];
  model.metadataProps ??= [];
  return model;
}

/** Encodes a model (as decoded by `decodeModel` or built by `buildModelProto`) into ONNX bytes. */
export function encodeModel(model: OnnxModel): Uint8Array {
  const type = modelProtoType();
  return type.encode(type.fromObject(model as unknown as Record<string, unknown>)).finish();
}

export type NumericArray = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Uint16Array | Int16Array;

/** The ONNX element type name of a typed array. */
export function elementTypeOf(data: NumericArray): TensorElementType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint16Array) return 'uint16';
  return 'int16';
}

/**
 * A TensorProto holding `data` as raw little-endian bytes. The element type follows the array
 * (Float32Array → float32, BigInt64Array → int64, Uint8Array → uint8, …) unless `type` says otherwise
 * (e.g. 'bool' for a Uint8Array, 'float16' for a Uint16Array).
 */
export function createTensorProto(name: string, dims: readonly number[], data: NumericArray, type?: TensorElementType): OnnxTensor {
  const count = dims.reduce((product, dim) => product * dim, 1);
  if (count !== data.length) {
    throw new RangeError(`tensor "${name}" has dims [${dims.join(', ')}] = ${count} elements but ${data.length} values`);
  }
  return {
    name,
    dims: [...dims],
    dataType: onnxDataTypes[type ?? elementTypeOf(data)],
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

/** The values of a TensorProto (raw or typed fields) as a typed array. External data is not supported. */
export function tensorProtoToArray(tensor: OnnxTensor): NumericArray {
  const count = tensor.dims.reduce((product, dim) => product * dim, 1);
  const raw = tensor.rawData;
  const fromRaw = <T>(Constructor: { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number }): T => {
    const copy = new Uint8Array(raw!.byteLength);
    copy.set(raw!);
    return new Constructor(copy.buffer, 0, raw!.byteLength / Constructor.BYTES_PER_ELEMENT);
  };
  switch (tensor.dataType) {
    case onnxDataTypes.float32:
      return raw?.length ? fromRaw(Float32Array) : Float32Array.from(tensor.floatData ?? []);
    case onnxDataTypes.float64:
      return raw?.length ? fromRaw(Float64Array) : Float64Array.from(tensor.doubleData ?? []);
    case onnxDataTypes.int32:
      return raw?.length ? fromRaw(Int32Array) : Int32Array.from(tensor.int32Data ?? []);
    case onnxDataTypes.int64:
      return raw?.length ? fromRaw(BigInt64Array) : BigInt64Array.from((tensor.int64Data ?? []).map((value) => BigInt(value)));
    case onnxDataTypes.uint8:
    case onnxDataTypes.bool:
      return raw?.length ? fromRaw(Uint8Array) : Uint8Array.from(tensor.int32Data ?? []);
    case onnxDataTypes.int8:
      return raw?.length ? fromRaw(Int8Array) : Int8Array.from(tensor.int32Data ?? []);
    case onnxDataTypes.uint16:
    case onnxDataTypes.float16:
      return raw?.length ? fromRaw(Uint16Array) : Uint16Array.from(tensor.int32Data ?? []);
    case onnxDataTypes.int16:
      return raw?.length ? fromRaw(Int16Array) : Int16Array.from(tensor.int32Data ?? []);
    default:
      throw new RangeError(`tensor "${tensor.name ?? ''}" has ONNX data type ${tensor.dataType}, which vad does not read (${count} values)`);
  }
}
