import { InvalidInputError, ModelLoadError, type VadError } from '@vad/core';
import { buildModelProto, type AttributeValue, type InitializerSpec, type NodeSpec } from '../onnx/build-model.js';
import type { OnnxModel } from '../onnx/onnx-model.js';
import { closestNames } from '../closest-names.js';
import type { KerasLayer, LayersModelArtifacts } from './layers-artifacts.js';

/** Bumped whenever the ONNX this importer emits changes; cached imports are keyed by it. */
export const importerVersion = '1';

export interface ConvertLayersOptions {
  /** Layers whose outputs become graph outputs (default: the model's outputs). Only what they need is converted. */
  outputs?: readonly string[];
  /** Name of the graph input (default 'input'); it is NCHW float32 [batch, channels, height, width]. */
  inputName?: string;
  /** Leave height and width free ('height', 'width') instead of the model's input size (only for convolutional tops). */
  dynamicSize?: boolean;
  /** Fold BatchNormalization into the convolution before it (default true). */
  foldBatchNorm?: boolean;
  opset?: number;
}

interface TensorInfo {
  name: string;
  rank: number;
  /** A ZeroPadding2D waiting to be merged into the convolution that reads it: [top, left, bottom, right]. */
  pendingPads?: [number, number, number, number];
}

type Config = Record<string, unknown>;

/** A layer's problem, named. */
function layerError(artifacts: LayersModelArtifacts, layer: KerasLayer, problem: string): VadError {
  return new ModelLoadError({ message: `${artifacts.name}: layer "${layer.name}" (${layer.class_name}) ${problem}`, path: artifacts.name });
}

function inboundLayers(artifacts: LayersModelArtifacts, layer: KerasLayer): string[] {
  if (layer.inbound_nodes.length === 0) return [];
  if (layer.inbound_nodes.length > 1) throw layerError(artifacts, layer, 'is shared between several calls, which the importer does not support');
  const node = layer.inbound_nodes[0] as [string, number, number][];
  return node.map(([name, nodeIndex, tensorIndex]) => {
    if (nodeIndex !== 0 || tensorIndex !== 0) throw layerError(artifacts, layer, `reads output ${nodeIndex}/${tensorIndex} of "${name}", which the importer does not support`);
    return name;
  });
}

function pair(value: unknown, fallback: number): [number, number] {
  if (Array.isArray(value)) return [Number(value[0]), Number(value[1] ?? value[0])];
  if (typeof value === 'number') return [value, value];
  return [fallback, fallback];
}

/** Maps a Keras axis of an NHWC (rank 4) or plain tensor to the ONNX (NCHW) axis. */
function onnxAxis(axis: number, rank: number): number {
  const positive = axis < 0 ? axis + rank : axis;
  if (rank !== 4) return positive;
  return [0, 2, 3, 1][positive]!;
}

/**
 * Keras kernel [kh, kw, in, out] → ONNX [out, in, kh, kw]; depthwise [kh, kw, in, multiplier] →
 * [in·multiplier, 1, kh, kw] (output channel c·multiplier + m, as TF orders them).
 */
function transposeKernel(source: Float32Array, kernelHeight: number, kernelWidth: number, inputChannels: number, last: number, depthwise: boolean): Float32Array {
  const kernel = new Float32Array(source.length);
  const window = kernelHeight * kernelWidth;
  // ONNX offset of (y, x, inputChannel, index): depthwise (inputChannel·last + index)·window + position,
  // regular (index·inputChannels + inputChannel)·window + position
  const channelStride = depthwise ? last * window : window;
  const indexStride = depthwise ? window : inputChannels * window;
  let read = 0;
  for (let position = 0; position < window; position++) {
    for (let inputChannel = 0; inputChannel < inputChannels; inputChannel++) {
      let write = inputChannel * channelStride + position;
      for (let index = 0; index < last; index++, write += indexStride) kernel[write] = source[read++]!;
    }
  }
  return kernel;
}

/**
 * Converts a TensorFlow.js layers model (Keras functional or sequential topology, channels_last) into
 * an ONNX graph in NCHW layout: kernels are transposed, BatchNormalization is folded into the
 * convolution before it, ZeroPadding2D into the convolution after it, and TF 'same' padding is
 * reproduced exactly (SAME_UPPER; average pools exclude the padding as TF does). A layer the importer
 * does not know is a `ModelLoadError` naming it.
 */
export function convertLayersModel(artifacts: LayersModelArtifacts, options: ConvertLayersOptions = {}): OnnxModel {
  const layersByName = new Map(artifacts.layers.map((layer) => [layer.name, layer]));
  const requested = [...(options.outputs ?? artifacts.outputLayers)];
  for (const output of requested) {
    if (!layersByName.has(output)) {
      const close = closestNames(output, layersByName.keys()).map((name) => `"${name}"`).join(', ');
      throw new InvalidInputError({ message: `${artifacts.name} has no layer "${output}" to end at; closest names: ${close}`, property: 'outputs' });
    }
  }
  // the layers the outputs need, and who reads each of them
  const inputsOf = new Map<string, string[]>();
  const needed = new Set<string>();
  const stack = [...requested];
  while (stack.length) {
    const name = stack.pop()!;
    if (needed.has(name)) continue;
    needed.add(name);
    const inputs = inboundLayers(artifacts, layersByName.get(name)!);
    inputsOf.set(name, inputs);
    stack.push(...inputs);
  }
  const consumers = new Map<string, string[]>();
  for (const name of needed) for (const input of inputsOf.get(name)!) consumers.set(input, [...(consumers.get(input) ?? []), name]);
  const isOutput = new Set(requested);
  const soleConsumer = (name: string): KerasLayer | undefined => {
    const readers = consumers.get(name) ?? [];
    return readers.length === 1 && !isOutput.has(name) ? layersByName.get(readers[0]!) : undefined;
  };

  const nodes: NodeSpec[] = [];
  const initializers: InitializerSpec[] = [];
  const tensors = new Map<string, TensorInfo>();
  const absorbed = new Set<string>();
  const inputName = options.inputName ?? 'input';
  let inputShape: (number | string)[] = [];
  const foldBatchNorm = options.foldBatchNorm ?? true;

  const weight = (layer: KerasLayer, suffix: string, required = true): { shape: number[]; data: Float32Array } | undefined => {
    const found = artifacts.weights.get(`${layer.name}/${suffix}`);
    if (!found && required) throw layerError(artifacts, layer, `has no weight "${layer.name}/${suffix}" in the weights manifest`);
    return found;
  };
  const constant = (name: string, dims: number[], data: Float32Array | BigInt64Array): string => {
    initializers.push({ name, dims, data });
    return name;
  };
  const input = (layer: KerasLayer, index = 0): TensorInfo => {
    const source = inputsOf.get(layer.name)![index];
    const tensor = source === undefined ? undefined : tensors.get(source);
    if (!tensor) throw layerError(artifacts, layer, `reads "${source}", which has not been converted`);
    if (tensor.pendingPads) throw layerError(artifacts, layer, `reads the padding layer "${source}" that was meant for a convolution`);
    return tensor;
  };
  const activation = (layer: KerasLayer, kind: string, from: string, to: string, rank: number): void => {
    const add = (op: string, inputs: string[], attributes?: Record<string, AttributeValue>) => nodes.push({ op, inputs, outputs: [to], name: `${layer.name}/${kind}`, ...(attributes && { attributes }) });
    switch (kind) {
      case 'linear':
        return void add('Identity', [from]);
      case 'relu':
        return void add('Relu', [from]);
      case 'relu6':
        return void add('Clip', [from, constant(`${layer.name}/clip_min`, [], Float32Array.of(0)), constant(`${layer.name}/clip_max`, [], Float32Array.of(6))]);
      case 'sigmoid':
        return void add('Sigmoid', [from]);
      case 'tanh':
        return void add('Tanh', [from]);
      case 'softmax':
        return void add('Softmax', [from], { axis: rank === 4 ? 1 : -1 });
      case 'elu':
        return void add('Elu', [from], { alpha: { float: 1 } });
      case 'selu':
        return void add('Selu', [from]);
      case 'softplus':
        return void add('Softplus', [from]);
      case 'hard_sigmoid':
        return void add('HardSigmoid', [from], { alpha: { float: 0.2 }, beta: { float: 0.5 } });
      case 'swish':
      case 'silu': {
        const gate = `${to}/sigmoid`;
        nodes.push({ op: 'Sigmoid', inputs: [from], outputs: [gate], name: `${layer.name}/swish_gate` });
        return void add('Mul', [from, gate]);
      }
      default:
        throw layerError(artifacts, layer, `uses the activation "${kind}", which the importer does not support`);
    }
  };
  /** Emits `node` writing `layer`'s output, then its activation if it has one. */
  const withActivation = (layer: KerasLayer, config: Config, node: Omit<NodeSpec, 'outputs'>, output: string, rank: number): void => {
    const kind = String(config.activation ?? 'linear');
    if (kind === 'linear') {
      nodes.push({ ...node, outputs: [output] });
      return;
    }
    const preactivation = `${output}/preactivation`;
    nodes.push({ ...node, outputs: [preactivation] });
    activation(layer, kind, preactivation, output, rank);
  };
  const checkChannelsLast = (layer: KerasLayer, config: Config) => {
    if (config.data_format !== undefined && config.data_format !== 'channels_last') {
      throw layerError(artifacts, layer, `has data_format "${String(config.data_format)}"; only channels_last is supported`);
    }
  };
  /** ONNX padding attributes for TF padding `mode` of a window of `kernel` (dilated) and `strides`. */
  const paddingAttributes = (mode: string, kernel: [number, number], strides: [number, number], dilation: [number, number], extra?: [number, number, number, number]): Record<string, AttributeValue> => {
    if (mode === 'valid') return { pads: extra ? [extra[0], extra[1], extra[2], extra[3]] : [0, 0, 0, 0] };
    if (strides[0] === 1 && strides[1] === 1) {
      // TF 'same' with stride 1 does not depend on the input size: total (k - 1)·d, the extra one at the end
      const totalY = (kernel[0] - 1) * dilation[0];
      const totalX = (kernel[1] - 1) * dilation[1];
      return { pads: [Math.floor(totalY / 2), Math.floor(totalX / 2), totalY - Math.floor(totalY / 2), totalX - Math.floor(totalX / 2)] };
    }
    return { auto_pad: 'SAME_UPPER' };
  };

  const foldedBatchNorm = (convolution: KerasLayer, kernel: Float32Array, bias: Float32Array, outputChannels: number, perOutput: number): string | undefined => {
    const next = soleConsumer(convolution.name);
    if (!foldBatchNorm || next?.class_name !== 'BatchNormalization') return undefined;
    const config = next.config;
    const axis = Number(config.axis ?? -1);
    if (axis !== -1 && axis !== 3) return undefined;
    const statistics = batchNormStatistics(next, outputChannels);
    for (let channel = 0; channel < outputChannels; channel++) {
      const multiplier = statistics.multiply[channel]!;
      const start = channel * perOutput;
      for (let index = start; index < start + perOutput; index++) kernel[index]! *= multiplier;
      bias[channel] = bias[channel]! * multiplier + statistics.add[channel]!;
    }
    absorbed.add(next.name);
    return next.name;
  };
  const batchNormStatistics = (layer: KerasLayer, channels: number) => {
    const config = layer.config;
    const epsilon = Number(config.epsilon ?? 1e-3);
    const mean = weight(layer, 'moving_mean')!.data;
    const variance = weight(layer, 'moving_variance')!.data;
    const gamma = config.scale === false ? undefined : weight(layer, 'gamma')!.data;
    const beta = config.center === false ? undefined : weight(layer, 'beta')!.data;
    if (mean.length !== channels) throw layerError(artifacts, layer, `has ${mean.length} statistics for ${channels} channels`);
    const multiply = new Float32Array(channels);
    const add = new Float32Array(channels);
    for (let channel = 0; channel < channels; channel++) {
      const scale = (gamma ? gamma[channel]! : 1) / Math.sqrt(variance[channel]! + epsilon);
      multiply[channel] = scale;
      add[channel] = (beta ? beta[channel]! : 0) - mean[channel]! * scale;
    }
    return { multiply, add };
  };

  for (const layer of artifacts.layers) {
    if (!needed.has(layer.name)) continue;
    const config = layer.config;
    if (absorbed.has(layer.name)) continue;
    const name = layer.name;
    switch (layer.class_name) {
      case 'InputLayer': {
        const shape = (config.batch_input_shape ?? config.batchInputShape) as (number | null)[] | undefined;
        if (!shape || shape.length !== 4) throw layerError(artifacts, layer, `has input shape ${JSON.stringify(shape)}; the importer takes images [batch, height, width, channels]`);
        const [, height, width, channels] = shape;
        inputShape = ['batch', channels ?? 3, options.dynamicSize || !height ? 'height' : height, options.dynamicSize || !width ? 'width' : width];
        tensors.set(name, { name: inputName, rank: 4 });
        break;
      }
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        checkChannelsLast(layer, config);
        const source = inputsOf.get(name)![0]!;
        const from = tensors.get(source);
        if (!from) throw layerError(artifacts, layer, `reads "${source}", which has not been converted`);
        const depthwise = layer.class_name === 'DepthwiseConv2D';
        const kernelWeight = weight(layer, depthwise ? 'depthwise_kernel' : 'kernel')!;
        const [kernelHeight, kernelWidth, inputChannels, last] = kernelWeight.shape as [number, number, number, number];
        const outputChannels = depthwise ? inputChannels * last : last;
        const perOutput = (depthwise ? 1 : inputChannels) * kernelHeight * kernelWidth;
        // Keras [kh, kw, in, out] → ONNX [out, in, kh, kw]; depthwise [kh, kw, in, multiplier] → [in·multiplier, 1, kh, kw]
        const kernel = transposeKernel(kernelWeight.data, kernelHeight, kernelWidth, inputChannels, last, depthwise);
        const bias = new Float32Array(outputChannels);
        if (config.use_bias !== false) bias.set(weight(layer, 'bias')!.data);
        const kind = String(config.activation ?? 'linear');
        const foldedInto = kind === 'linear' ? foldedBatchNorm(layer, kernel, bias, outputChannels, perOutput) : undefined;
        const output = foldedInto ?? name;
        const strides = pair(config.strides, 1);
        const dilation = pair(config.dilation_rate, 1);
        const padding = String(config.padding ?? 'valid');
        if (from.pendingPads && padding !== 'valid') throw layerError(artifacts, layer, 'follows a ZeroPadding2D but pads itself too');
        const attributes: Record<string, AttributeValue> = {
          kernel_shape: [kernelHeight, kernelWidth],
          strides,
          dilations: dilation,
          group: depthwise ? inputChannels : 1,
          ...paddingAttributes(padding, [kernelHeight, kernelWidth], strides, dilation, from.pendingPads),
        };
        const weightName = constant(`${name}/kernel_oihw`, [outputChannels, depthwise ? 1 : inputChannels, kernelHeight, kernelWidth], kernel);
        const biasName = constant(`${name}/bias`, [outputChannels], bias);
        withActivation(layer, config, { op: 'Conv', name, inputs: [from.name, weightName, biasName], attributes }, output, 4);
        tensors.set(name, { name: output, rank: 4 });
        if (foldedInto) tensors.set(foldedInto, { name: output, rank: 4 });
        break;
      }
      case 'BatchNormalization': {
        const from = input(layer);
        const axis = Number(config.axis ?? -1);
        if (!((from.rank === 4 && (axis === 3 || axis === -1)) || (from.rank === 2 && (axis === 1 || axis === -1)))) {
          throw layerError(artifacts, layer, `normalises axis ${axis} of a rank-${from.rank} tensor; only the channel axis is supported`);
        }
        const channels = weight(layer, 'moving_mean')!.shape[0]!;
        const { multiply, add } = batchNormStatistics(layer, channels);
        const dims = from.rank === 4 ? [channels, 1, 1] : [channels];
        const scaled = `${name}/scaled`;
        nodes.push({ op: 'Mul', name: `${name}/multiply`, inputs: [from.name, constant(`${name}/multiplier`, dims, multiply)], outputs: [scaled] });
        nodes.push({ op: 'Add', name: `${name}/add`, inputs: [scaled, constant(`${name}/offset`, dims, add)], outputs: [name] });
        tensors.set(name, { name, rank: from.rank });
        break;
      }
      case 'Activation': {
        const from = input(layer);
        activation(layer, String(config.activation), from.name, name, from.rank);
        tensors.set(name, { name, rank: from.rank });
        break;
      }
      case 'ReLU': {
        const from = input(layer);
        const threshold = Number(config.threshold ?? 0);
        const slope = Number(config.negative_slope ?? 0);
        const maximum = config.max_value === null || config.max_value === undefined ? undefined : Number(config.max_value);
        if (threshold !== 0) throw layerError(artifacts, layer, `has threshold ${threshold}; only 0 is supported`);
        if (slope !== 0) {
          if (maximum !== undefined) throw layerError(artifacts, layer, 'has both negative_slope and max_value, which the importer does not support');
          nodes.push({ op: 'LeakyRelu', name, inputs: [from.name], outputs: [name], attributes: { alpha: { float: slope } } });
        } else if (maximum !== undefined) {
          nodes.push({ op: 'Clip', name, inputs: [from.name, constant(`${name}/min`, [], Float32Array.of(0)), constant(`${name}/max`, [], Float32Array.of(maximum))], outputs: [name] });
        } else {
          nodes.push({ op: 'Relu', name, inputs: [from.name], outputs: [name] });
        }
        tensors.set(name, { name, rank: from.rank });
        break;
      }
      case 'ZeroPadding2D': {
        checkChannelsLast(layer, config);
        const from = input(layer);
        const padding = config.padding;
        const [[top, bottom], [left, right]] = Array.isArray(padding) && Array.isArray(padding[0])
          ? (padding as [[number, number], [number, number]])
          : (() => {
              const [vertical, horizontal] = pair(padding, 0);
              return [[vertical, vertical], [horizontal, horizontal]] as [[number, number], [number, number]];
            })();
        const next = soleConsumer(name);
        if (next && (next.class_name === 'Conv2D' || next.class_name === 'DepthwiseConv2D') && (next.config.padding ?? 'valid') === 'valid') {
          tensors.set(name, { name: from.name, rank: 4, pendingPads: [top, left, bottom, right] });
        } else {
          const pads = constant(`${name}/pads`, [8], BigInt64Array.from([0, 0, top, left, 0, 0, bottom, right].map(BigInt)));
          nodes.push({ op: 'Pad', name, inputs: [from.name, pads], outputs: [name], attributes: { mode: 'constant' } });
          tensors.set(name, { name, rank: 4 });
        }
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        checkChannelsLast(layer, config);
        const from = input(layer);
        const window = pair(config.pool_size, 2);
        const strides = pair(config.strides ?? config.pool_size, 2);
        const padding = String(config.padding ?? 'valid');
        const attributes: Record<string, AttributeValue> = {
          kernel_shape: window,
          strides,
          ...paddingAttributes(padding, window, strides, [1, 1]),
          // TF averages over the valid part of a window at a 'same' border; so does count_include_pad = 0
          ...(layer.class_name === 'AveragePooling2D' && { count_include_pad: 0 }),
        };
        nodes.push({ op: layer.class_name === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool', name, inputs: [from.name], outputs: [name], attributes });
        tensors.set(name, { name, rank: 4 });
        break;
      }
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D': {
        checkChannelsLast(layer, config);
        const from = input(layer);
        const keep = config.keepdims === true;
        nodes.push({ op: layer.class_name === 'GlobalAveragePooling2D' ? 'ReduceMean' : 'ReduceMax', name, inputs: [from.name], outputs: [name], attributes: { axes: [2, 3], keepdims: keep ? 1 : 0 } });
        tensors.set(name, { name, rank: keep ? 4 : 2 });
        break;
      }
      case 'Concatenate': {
        const sources = inputsOf.get(name)!.map((_, index) => input(layer, index));
        const rank = sources[0]!.rank;
        nodes.push({ op: 'Concat', name, inputs: sources.map((source) => source.name), outputs: [name], attributes: { axis: onnxAxis(Number(config.axis ?? -1), rank) } });
        tensors.set(name, { name, rank });
        break;
      }
      case 'Add':
      case 'Multiply':
      case 'Subtract':
      case 'Maximum':
      case 'Minimum':
      case 'Average': {
        const sources = inputsOf.get(name)!.map((_, index) => input(layer, index));
        const op = { Add: 'Sum', Multiply: 'Mul', Subtract: 'Sub', Maximum: 'Max', Minimum: 'Min', Average: 'Mean' }[layer.class_name]!;
        const binary = op === 'Sum' && sources.length === 2 ? 'Add' : op;
        if ((binary === 'Mul' || binary === 'Sub') && sources.length !== 2) throw layerError(artifacts, layer, `has ${sources.length} inputs; the importer supports 2`);
        nodes.push({ op: binary, name, inputs: sources.map((source) => source.name), outputs: [name] });
        tensors.set(name, { name, rank: sources[0]!.rank });
        break;
      }
      case 'Dense': {
        const from = input(layer);
        if (from.rank !== 2) throw layerError(artifacts, layer, `reads a rank-${from.rank} tensor; the importer supports Dense on [batch, features]`);
        const kernel = weight(layer, 'kernel')!;
        const units = kernel.shape[1]!;
        const bias = config.use_bias === false ? new Float32Array(units) : weight(layer, 'bias')!.data;
        const inputs = [from.name, constant(`${name}/kernel`, kernel.shape, kernel.data), constant(`${name}/bias`, [units], bias)];
        withActivation(layer, config, { op: 'Gemm', name, inputs }, name, 2);
        tensors.set(name, { name, rank: 2 });
        break;
      }
      case 'Dropout':
      case 'SpatialDropout2D':
      case 'GaussianNoise':
      case 'GaussianDropout':
      case 'AlphaDropout': {
        tensors.set(name, input(layer)); // inference: identity
        break;
      }
      case 'Flatten': {
        const from = input(layer);
        let flat = from.name;
        if (from.rank === 4) {
          // Keras flattens in NHWC order
          flat = `${name}/nhwc`;
          nodes.push({ op: 'Transpose', name: `${name}/to_nhwc`, inputs: [from.name], outputs: [flat], attributes: { perm: [0, 2, 3, 1] } });
        }
        nodes.push({ op: 'Flatten', name, inputs: [flat], outputs: [name], attributes: { axis: 1 } });
        tensors.set(name, { name, rank: 2 });
        break;
      }
      case 'Reshape': {
        const from = input(layer);
        const target = (config.target_shape as number[]).map(Number);
        let source = from.name;
        if (from.rank === 4) {
          source = `${name}/nhwc`;
          nodes.push({ op: 'Transpose', name: `${name}/to_nhwc`, inputs: [from.name], outputs: [source], attributes: { perm: [0, 2, 3, 1] } });
        }
        const shape = constant(`${name}/shape`, [target.length + 1], BigInt64Array.from([0, ...target].map(BigInt)));
        const reshaped = target.length === 3 ? `${name}/nhwc_out` : name;
        nodes.push({ op: 'Reshape', name, inputs: [source, shape], outputs: [reshaped] });
        if (target.length === 3) nodes.push({ op: 'Transpose', name: `${name}/to_nchw`, inputs: [reshaped], outputs: [name], attributes: { perm: [0, 3, 1, 2] } });
        tensors.set(name, { name, rank: target.length + 1 });
        break;
      }
      default:
        throw layerError(artifacts, layer, 'is a layer type the importer does not support');
    }
  }

  const outputs = requested.map((layerName) => {
    const tensor = tensors.get(layerName)!;
    if (tensor.pendingPads) throw new InvalidInputError({ message: `${artifacts.name}: cannot end at the padding layer "${layerName}"`, property: 'outputs' });
    if (tensor.name !== layerName) nodes.push({ op: 'Identity', name: `${layerName}/output`, inputs: [tensor.name], outputs: [layerName] });
    return { name: layerName, type: 'float32' as const };
  });
  if (inputShape.length === 0) throw new ModelLoadError({ message: `${artifacts.name} has no InputLayer on the way to ${requested.join(', ')}`, path: artifacts.name });
  return buildModelProto({
    name: artifacts.name,
    inputs: [{ name: inputName, type: 'float32', shape: inputShape }],
    outputs,
    nodes,
    initializers,
    opset: options.opset ?? 17,
    metadata: { source: artifacts.name, importer: `@vad/models tfjs-layers importer ${importerVersion}`, layout: 'NCHW' },
  });
}
