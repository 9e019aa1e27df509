import type { LayerHandler } from './conversion-context.js';
import { activationHandlers } from './layers/activations.js';
import { convolutionHandlers } from './layers/convolutions.js';
import { denseHandlers } from './layers/dense.js';
import { inputHandlers } from './layers/input.js';
import { mergeHandlers } from './layers/merge.js';
import { normalizationHandlers } from './layers/normalization.js';
import { poolingHandlers } from './layers/pooling.js';
import { regularizationHandlers } from './layers/regularization.js';
import { reshapeHandlers } from './layers/reshape.js';

/** Keras layer class name → its handler; a class not here is one the importer does not support. */
export const layerHandlers: ReadonlyMap<string, LayerHandler> = new Map(
  Object.entries({
    ...inputHandlers,
    ...convolutionHandlers,
    ...normalizationHandlers,
    ...activationHandlers,
    ...poolingHandlers,
    ...mergeHandlers,
    ...denseHandlers,
    ...regularizationHandlers,
    ...reshapeHandlers,
  }),
);
