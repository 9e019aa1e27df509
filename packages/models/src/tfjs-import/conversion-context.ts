import type { VadError } from '@vad/core';
import type { InitializerSpec, NodeSpec } from '../onnx/build-model.js';
import { layerError, type LayerGraph } from './layer-graph.js';
import type { KerasLayer, LayersModelArtifacts } from './layers-artifacts.js';

/** Where a converted layer's output lives in the ONNX graph. */
export interface TensorInfo {
  name: string;
  rank: number;
  /** A ZeroPadding2D waiting to be merged into the convolution that reads it: [top, left, bottom, right]. */
  pendingPads?: [number, number, number, number];
}

/** What every layer handler shares while one model is converted. */
export interface ConversionContext {
  readonly artifacts: LayersModelArtifacts;
  readonly graph: LayerGraph;
  readonly inputName: string;
  readonly dynamicSize: boolean;
  readonly foldBatchNorm: boolean;
  /** The graph input's shape, set by the InputLayer; empty until then. */
  inputShape: (number | string)[];
  /** Emitted in order; the order is part of the model's bytes. */
  readonly nodes: NodeSpec[];
  readonly initializers: InitializerSpec[];
  /** Converted layer name → its output. */
  readonly tensors: Map<string, TensorInfo>;
  /** Layers folded into the layer before them: not converted on their own. */
  readonly absorbed: Set<string>;
  layerError(layer: KerasLayer, problem: string): VadError;
  /** A weight of `layer` from the manifest; its absence is an error naming it. */
  weight(layer: KerasLayer, suffix: string): { shape: number[]; data: Float32Array };
  /** Adds an initializer and returns its name. */
  constant(name: string, dims: number[], data: Float32Array | BigInt64Array): string;
  /** The converted `index`-th input of `layer`, which must not be a padding that waits for a convolution. */
  input(layer: KerasLayer, index?: number): TensorInfo;
  /** Every input of `layer`, as `input` gives them. */
  inputs(layer: KerasLayer): TensorInfo[];
  /** The first input of a convolution, which may carry the pending pads of a ZeroPadding2D. */
  paddedInput(layer: KerasLayer): TensorInfo;
}

export interface ConversionSettings {
  inputName: string;
  dynamicSize: boolean;
  foldBatchNorm: boolean;
}

export function createConversionContext(artifacts: LayersModelArtifacts, graph: LayerGraph, settings: ConversionSettings): ConversionContext {
  const tensors = new Map<string, TensorInfo>();
  const initializers: InitializerSpec[] = [];
  const error = (layer: KerasLayer, problem: string) => layerError(artifacts, layer, problem);
  const converted = (layer: KerasLayer, index: number): TensorInfo => {
    const source = graph.inputsOf.get(layer.name)![index];
    const tensor = source === undefined ? undefined : tensors.get(source);
    if (!tensor) throw error(layer, `reads "${source}", which has not been converted`);
    return tensor;
  };
  const input = (layer: KerasLayer, index = 0): TensorInfo => {
    const tensor = converted(layer, index);
    if (tensor.pendingPads) throw error(layer, `reads the padding layer "${graph.inputsOf.get(layer.name)![index]}" that was meant for a convolution`);
    return tensor;
  };
  return {
    artifacts,
    graph,
    ...settings,
    inputShape: [],
    nodes: [],
    initializers,
    tensors,
    absorbed: new Set(),
    layerError: error,
    weight(layer, suffix) {
      const found = artifacts.weights.get(`${layer.name}/${suffix}`);
      if (!found) throw error(layer, `has no weight "${layer.name}/${suffix}" in the weights manifest`);
      return found;
    },
    constant(name, dims, data) {
      initializers.push({ name, dims, data });
      return name;
    },
    input,
    inputs: (layer) => graph.inputsOf.get(layer.name)!.map((_, index) => input(layer, index)),
    paddedInput: (layer) => converted(layer, 0),
  };
}

/** Converts one layer: emits its nodes and initializers through `context` and returns where its output lives. */
export type LayerHandler = (layer: KerasLayer, context: ConversionContext) => TensorInfo;
