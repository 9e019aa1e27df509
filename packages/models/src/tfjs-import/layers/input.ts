import type { LayerHandler } from '../conversion-context.js';

/** The graph input, NCHW: [batch, channels, height, width], height and width free when asked or unknown. */
const convertInput: LayerHandler = (layer, context) => {
  const config = layer.config;
  const shape = (config.batch_input_shape ?? config.batchInputShape) as (number | null)[] | undefined;
  if (!shape || shape.length !== 4) throw context.layerError(layer, `has input shape ${JSON.stringify(shape)}; the importer takes images [batch, height, width, channels]`);
  const [, height, width, channels] = shape;
  context.inputShape = ['batch', channels ?? 3, context.dynamicSize || !height ? 'height' : height, context.dynamicSize || !width ? 'width' : width];
  return { name: context.inputName, rank: 4 };
};

export const inputHandlers: Record<string, LayerHandler> = {
  InputLayer: convertInput,
};
