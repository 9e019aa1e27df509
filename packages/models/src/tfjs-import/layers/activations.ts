import type { AttributeValue, NodeSpec } from '../../onnx/build-model.js';
import type { ConversionContext, LayerHandler } from '../conversion-context.js';
import type { KerasLayer } from '../layers-artifacts.js';

/** Emits Keras activation `kind` of `layer`, reading `from` and writing `to`. */
export function emitActivation(context: ConversionContext, layer: KerasLayer, kind: string, from: string, to: string, rank: number): void {
  const { nodes, constant } = context;
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
      throw context.layerError(layer, `uses the activation "${kind}", which the importer does not support`);
  }
}

/** Emits `node` writing `layer`'s output, then the activation its config names, if any. */
export function emitWithActivation(context: ConversionContext, layer: KerasLayer, node: Omit<NodeSpec, 'outputs'>, output: string, rank: number): void {
  const kind = String(layer.config.activation ?? 'linear');
  if (kind === 'linear') {
    context.nodes.push({ ...node, outputs: [output] });
    return;
  }
  const preactivation = `${output}/preactivation`;
  context.nodes.push({ ...node, outputs: [preactivation] });
  emitActivation(context, layer, kind, preactivation, output, rank);
}

const convertActivation: LayerHandler = (layer, context) => {
  const from = context.input(layer);
  emitActivation(context, layer, String(layer.config.activation), from.name, layer.name, from.rank);
  return { name: layer.name, rank: from.rank };
};

const convertRelu: LayerHandler = (layer, context) => {
  const { config, name } = layer;
  const from = context.input(layer);
  const threshold = Number(config.threshold ?? 0);
  const slope = Number(config.negative_slope ?? 0);
  const maximum = config.max_value === null || config.max_value === undefined ? undefined : Number(config.max_value);
  if (threshold !== 0) throw context.layerError(layer, `has threshold ${threshold}; only 0 is supported`);
  if (slope !== 0) {
    if (maximum !== undefined) throw context.layerError(layer, 'has both negative_slope and max_value, which the importer does not support');
    context.nodes.push({ op: 'LeakyRelu', name, inputs: [from.name], outputs: [name], attributes: { alpha: { float: slope } } });
  } else if (maximum !== undefined) {
    const inputs = [from.name, context.constant(`${name}/min`, [], Float32Array.of(0)), context.constant(`${name}/max`, [], Float32Array.of(maximum))];
    context.nodes.push({ op: 'Clip', name, inputs, outputs: [name] });
  } else {
    context.nodes.push({ op: 'Relu', name, inputs: [from.name], outputs: [name] });
  }
  return { name, rank: from.rank };
};

export const activationHandlers: Record<string, LayerHandler> = {
  Activation: convertActivation,
  ReLU: convertRelu,
};
