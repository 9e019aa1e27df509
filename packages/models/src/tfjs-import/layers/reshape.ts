import type { ConversionContext, LayerHandler, TensorInfo } from '../conversion-context.js';
import type { KerasLayer } from '../layers-artifacts.js';

/** Keras reshapes in NHWC order: a rank-4 (NCHW) input is transposed back first. Returns the tensor to reshape. */
function inNhwcOrder(context: ConversionContext, layer: KerasLayer, from: TensorInfo): string {
  if (from.rank !== 4) return from.name;
  const nhwc = `${layer.name}/nhwc`;
  context.nodes.push({ op: 'Transpose', name: `${layer.name}/to_nhwc`, inputs: [from.name], outputs: [nhwc], attributes: { perm: [0, 2, 3, 1] } });
  return nhwc;
}

const convertFlatten: LayerHandler = (layer, context) => {
  const name = layer.name;
  const flat = inNhwcOrder(context, layer, context.input(layer));
  context.nodes.push({ op: 'Flatten', name, inputs: [flat], outputs: [name], attributes: { axis: 1 } });
  return { name, rank: 2 };
};

const convertReshape: LayerHandler = (layer, context) => {
  const name = layer.name;
  const from = context.input(layer);
  const target = (layer.config.target_shape as number[]).map(Number);
  const source = inNhwcOrder(context, layer, from);
  const shape = context.constant(`${name}/shape`, [target.length + 1], BigInt64Array.from([0, ...target].map(BigInt)));
  // a [height, width, channels] target is NHWC: back to NCHW after the reshape
  const reshaped = target.length === 3 ? `${name}/nhwc_out` : name;
  context.nodes.push({ op: 'Reshape', name, inputs: [source, shape], outputs: [reshaped] });
  if (target.length === 3) context.nodes.push({ op: 'Transpose', name: `${name}/to_nchw`, inputs: [reshaped], outputs: [name], attributes: { perm: [0, 3, 1, 2] } });
  return { name, rank: target.length + 1 };
};

export const reshapeHandlers: Record<string, LayerHandler> = {
  Flatten: convertFlatten,
  Reshape: convertReshape,
};
