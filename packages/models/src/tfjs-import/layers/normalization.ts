import type { ConversionContext, LayerHandler } from '../conversion-context.js';
import type { KerasLayer } from '../layers-artifacts.js';

/** BatchNormalization at inference as `x · multiply + add`, per channel. */
function batchNormStatistics(context: ConversionContext, layer: KerasLayer, channels: number): { multiply: Float32Array; add: Float32Array } {
  const config = layer.config;
  const epsilon = Number(config.epsilon ?? 1e-3);
  const mean = context.weight(layer, 'moving_mean').data;
  const variance = context.weight(layer, 'moving_variance').data;
  const gamma = config.scale === false ? undefined : context.weight(layer, 'gamma').data;
  const beta = config.center === false ? undefined : context.weight(layer, 'beta').data;
  if (mean.length !== channels) throw context.layerError(layer, `has ${mean.length} statistics for ${channels} channels`);
  const multiply = new Float32Array(channels);
  const add = new Float32Array(channels);
  for (let channel = 0; channel < channels; channel++) {
    const scale = (gamma ? gamma[channel]! : 1) / Math.sqrt(variance[channel]! + epsilon);
    multiply[channel] = scale;
    add[channel] = (beta ? beta[channel]! : 0) - mean[channel]! * scale;
  }
  return { multiply, add };
}

/**
 * Folds the BatchNormalization that alone reads `convolution` (on the channel axis) into its `kernel`
 * ([out, …], `perOutput` values per output channel) and `bias`, in place; returns the folded layer's name.
 */
export function foldFollowingBatchNorm(context: ConversionContext, convolution: KerasLayer, kernel: Float32Array, bias: Float32Array, outputChannels: number, perOutput: number): string | undefined {
  const next = context.graph.soleConsumer(convolution.name);
  if (!context.foldBatchNorm || next?.class_name !== 'BatchNormalization') return undefined;
  const axis = Number(next.config.axis ?? -1);
  if (axis !== -1 && axis !== 3) return undefined;
  const statistics = batchNormStatistics(context, next, outputChannels);
  for (let channel = 0; channel < outputChannels; channel++) {
    const multiplier = statistics.multiply[channel]!;
    const start = channel * perOutput;
    for (let index = start; index < start + perOutput; index++) kernel[index]! *= multiplier;
    bias[channel] = bias[channel]! * multiplier + statistics.add[channel]!;
  }
  context.absorbed.add(next.name);
  return next.name;
}

const convertBatchNormalization: LayerHandler = (layer, context) => {
  const name = layer.name;
  const from = context.input(layer);
  const axis = Number(layer.config.axis ?? -1);
  if (!((from.rank === 4 && (axis === 3 || axis === -1)) || (from.rank === 2 && (axis === 1 || axis === -1)))) {
    throw context.layerError(layer, `normalises axis ${axis} of a rank-${from.rank} tensor; only the channel axis is supported`);
  }
  const channels = context.weight(layer, 'moving_mean').shape[0]!;
  const { multiply, add } = batchNormStatistics(context, layer, channels);
  const dims = from.rank === 4 ? [channels, 1, 1] : [channels];
  const scaled = `${name}/scaled`;
  context.nodes.push({ op: 'Mul', name: `${name}/multiply`, inputs: [from.name, context.constant(`${name}/multiplier`, dims, multiply)], outputs: [scaled] });
  context.nodes.push({ op: 'Add', name: `${name}/add`, inputs: [scaled, context.constant(`${name}/offset`, dims, add)], outputs: [name] });
  return { name, rank: from.rank };
};

export const normalizationHandlers: Record<string, LayerHandler> = {
  BatchNormalization: convertBatchNormalization,
};
