import type { LayerHandler } from '../conversion-context.js';

/** Dropout and noise layers do nothing at inference: their output is their input. */
const passThrough: LayerHandler = (layer, context) => context.input(layer);

export const regularizationHandlers: Record<string, LayerHandler> = {
  Dropout: passThrough,
  SpatialDropout2D: passThrough,
  GaussianNoise: passThrough,
  GaussianDropout: passThrough,
  AlphaDropout: passThrough,
};
