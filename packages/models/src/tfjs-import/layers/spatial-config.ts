import type { AttributeValue } from '../../onnx/build-model.js';
import type { ConversionContext } from '../conversion-context.js';
import type { KerasLayer } from '../layers-artifacts.js';

/** A Keras `(height, width)` setting given as a pair, one number, or not at all. */
export function pair(value: unknown, fallback: number): [number, number] {
  if (Array.isArray(value)) return [Number(value[0]), Number(value[1] ?? value[0])];
  if (typeof value === 'number') return [value, value];
  return [fallback, fallback];
}

export function checkChannelsLast(context: ConversionContext, layer: KerasLayer): void {
  const format = layer.config.data_format;
  if (format !== undefined && format !== 'channels_last') {
    throw context.layerError(layer, `has data_format "${String(format)}"; only channels_last is supported`);
  }
}

/** ONNX padding attributes for TF padding `mode` of a window of `kernel` (dilated) and `strides`. */
export function paddingAttributes(mode: string, kernel: [number, number], strides: [number, number], dilation: [number, number], extra?: [number, number, number, number]): Record<string, AttributeValue> {
  if (mode === 'valid') return { pads: extra ? [extra[0], extra[1], extra[2], extra[3]] : [0, 0, 0, 0] };
  if (strides[0] === 1 && strides[1] === 1) {
    // TF 'same' with stride 1 does not depend on the input size: total (k - 1)·d, the extra one at the end
    const totalY = (kernel[0] - 1) * dilation[0];
    const totalX = (kernel[1] - 1) * dilation[1];
    return { pads: [Math.floor(totalY / 2), Math.floor(totalX / 2), totalY - Math.floor(totalY / 2), totalX - Math.floor(totalX / 2)] };
  }
  return { auto_pad: 'SAME_UPPER' };
}
