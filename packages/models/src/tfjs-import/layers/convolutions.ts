import type { AttributeValue } from '../../onnx/build-model.js';
import type { LayerHandler } from '../conversion-context.js';
import { emitWithActivation } from './activations.js';
import { foldFollowingBatchNorm } from './normalization.js';
import { checkChannelsLast, paddingAttributes, pair } from './spatial-config.js';

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

/** Conv2D and DepthwiseConv2D, with the BatchNormalization after them folded in and the ZeroPadding2D before them merged in. */
const convertConvolution: LayerHandler = (layer, context) => {
  const { config, name } = layer;
  checkChannelsLast(context, layer);
  const from = context.paddedInput(layer);
  const depthwise = layer.class_name === 'DepthwiseConv2D';
  const kernelWeight = context.weight(layer, depthwise ? 'depthwise_kernel' : 'kernel');
  const [kernelHeight, kernelWidth, inputChannels, last] = kernelWeight.shape as [number, number, number, number];
  const outputChannels = depthwise ? inputChannels * last : last;
  const perOutput = (depthwise ? 1 : inputChannels) * kernelHeight * kernelWidth;
  const kernel = transposeKernel(kernelWeight.data, kernelHeight, kernelWidth, inputChannels, last, depthwise);
  const bias = new Float32Array(outputChannels);
  if (config.use_bias !== false) bias.set(context.weight(layer, 'bias').data);
  const kind = String(config.activation ?? 'linear');
  const foldedInto = kind === 'linear' ? foldFollowingBatchNorm(context, layer, kernel, bias, outputChannels, perOutput) : undefined;
  const output = foldedInto ?? name;
  const strides = pair(config.strides, 1);
  const dilation = pair(config.dilation_rate, 1);
  const padding = String(config.padding ?? 'valid');
  if (from.pendingPads && padding !== 'valid') throw context.layerError(layer, 'follows a ZeroPadding2D but pads itself too');
  const attributes: Record<string, AttributeValue> = {
    kernel_shape: [kernelHeight, kernelWidth],
    strides,
    dilations: dilation,
    group: depthwise ? inputChannels : 1,
    ...paddingAttributes(padding, [kernelHeight, kernelWidth], strides, dilation, from.pendingPads),
  };
  const weightName = context.constant(`${name}/kernel_oihw`, [outputChannels, depthwise ? 1 : inputChannels, kernelHeight, kernelWidth], kernel);
  const biasName = context.constant(`${name}/bias`, [outputChannels], bias);
  emitWithActivation(context, layer, { op: 'Conv', name, inputs: [from.name, weightName, biasName], attributes }, output, 4);
  if (foldedInto) context.tensors.set(foldedInto, { name: output, rank: 4 });
  return { name: output, rank: 4 };
};

/** A ZeroPadding2D that alone feeds a 'valid' convolution waits as pending pads for it; any other is a Pad node. */
const convertZeroPadding: LayerHandler = (layer, context) => {
  const name = layer.name;
  checkChannelsLast(context, layer);
  const from = context.input(layer);
  const padding = layer.config.padding;
  const [[top, bottom], [left, right]] = Array.isArray(padding) && Array.isArray(padding[0])
    ? (padding as [[number, number], [number, number]])
    : (() => {
        const [vertical, horizontal] = pair(padding, 0);
        return [[vertical, vertical], [horizontal, horizontal]] as [[number, number], [number, number]];
      })();
  const next = context.graph.soleConsumer(name);
  if (next && (next.class_name === 'Conv2D' || next.class_name === 'DepthwiseConv2D') && (next.config.padding ?? 'valid') === 'valid') {
    return { name: from.name, rank: 4, pendingPads: [top, left, bottom, right] };
  }
  const pads = context.constant(`${name}/pads`, [8], BigInt64Array.from([0, 0, top, left, 0, 0, bottom, right].map(BigInt)));
  context.nodes.push({ op: 'Pad', name, inputs: [from.name, pads], outputs: [name], attributes: { mode: 'constant' } });
  return { name, rank: 4 };
};

export const convolutionHandlers: Record<string, LayerHandler> = {
  Conv2D: convertConvolution,
  DepthwiseConv2D: convertConvolution,
  ZeroPadding2D: convertZeroPadding,
};
