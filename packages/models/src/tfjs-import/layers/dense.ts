import type { LayerHandler } from '../conversion-context.js';
import { emitWithActivation } from './activations.js';

const convertDense: LayerHandler = (layer, context) => {
  const name = layer.name;
  const from = context.input(layer);
  if (from.rank !== 2) throw context.layerError(layer, `reads a rank-${from.rank} tensor; the importer supports Dense on [batch, features]`);
  const kernel = context.weight(layer, 'kernel');
  const units = kernel.shape[1]!;
  const bias = layer.config.use_bias === false ? new Float32Array(units) : context.weight(layer, 'bias').data;
  const inputs = [from.name, context.constant(`${name}/kernel`, kernel.shape, kernel.data), context.constant(`${name}/bias`, [units], bias)];
  emitWithActivation(context, layer, { op: 'Gemm', name, inputs }, name, 2);
  return { name, rank: 2 };
};

export const denseHandlers: Record<string, LayerHandler> = {
  Dense: convertDense,
};
