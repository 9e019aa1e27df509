import type { AnyBlock } from '../blocks.js';
import { absoluteStaticCrop } from './absolute-static-crop.js';
import { continueIf } from './continue-if.js';
import { deltaFilter } from './delta-filter.js';
import { detectionsTransformation } from './detections-transformation.js';
import { dimensionCollapse } from './dimension-collapse.js';
import { dynamicCrop } from './dynamic-crop.js';
import { environmentSecretsStore } from './environment-secrets-store.js';
import { expression } from './expression.js';
import { firstNonEmptyOrDefault } from './first-non-empty-or-default.js';
import { imagePreprocessing } from './image-preprocessing.js';
import { imageResize } from './image-resize.js';
import { propertyDefinition } from './property-definition.js';
import { rateLimiter } from './rate-limiter.js';
import { relativeStaticCrop } from './relative-static-crop.js';

export {
  absoluteStaticCrop,
  continueIf,
  deltaFilter,
  detectionsTransformation,
  dimensionCollapse,
  dynamicCrop,
  environmentSecretsStore,
  expression,
  firstNonEmptyOrDefault,
  imagePreprocessing,
  imageResize,
  propertyDefinition,
  rateLimiter,
  relativeStaticCrop,
};

/** The blocks that ship with @vad/core. */
export function coreBlocks(): AnyBlock[] {
  return [propertyDefinition, continueIf, imageResize, imagePreprocessing, absoluteStaticCrop, relativeStaticCrop, dimensionCollapse, dynamicCrop, detectionsTransformation, expression, firstNonEmptyOrDefault, deltaFilter, rateLimiter, environmentSecretsStore];
}
