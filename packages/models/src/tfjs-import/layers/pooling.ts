import type { AttributeValue } from '../../onnx/build-model.js';
import type { LayerHandler } from '../conversion-context.js';
import { checkChannelsLast, paddingAttributes, pair } from './spatial-config.js';

const convertPooling: LayerHandler = (layer, context) => {
  const { config, name } = layer;
  checkChannelsLast(context, layer);
  const from = context.input(layer);
  const window = pair(config.pool_size, 2);
  const strides = pair(config.strides ?? config.pool_size, 2);
  const padding = String(config.padding ?? 'valid');
  const average = layer.class_name === 'AveragePooling2D';
  const attributes: Record<string, AttributeValue> = {
    kernel_shape: window,
    strides,
    ...paddingAttributes(padding, window, strides, [1, 1]),
    // TF averages over the valid part of a window at a 'same' border; so does count_include_pad = 0
    ...(average && { count_include_pad: 0 }),
  };
  context.nodes.push({ op: average ? 'AveragePool' : 'MaxPool', name, inputs: [from.name], outputs: [name], attributes });
  return { name, rank: 4 };
};

const convertGlobalPooling: LayerHandler = (layer, context) => {
  const name = layer.name;
  checkChannelsLast(context, layer);
  const from = context.input(layer);
  const keep = layer.config.keepdims === true;
  const op = layer.class_name === 'GlobalAveragePooling2D' ? 'ReduceMean' : 'ReduceMax';
  context.nodes.push({ op, name, inputs: [from.name], outputs: [name], attributes: { axes: [2, 3], keepdims: keep ? 1 : 0 } });
  return { name, rank: keep ? 4 : 2 };
};

export const poolingHandlers: Record<string, LayerHandler> = {
  MaxPooling2D: convertPooling,
  AveragePooling2D: convertPooling,
  GlobalAveragePooling2D: convertGlobalPooling,
  GlobalMaxPooling2D: convertGlobalPooling,
};
