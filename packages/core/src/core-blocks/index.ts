import type { AnyBlock } from '../blocks.js';
import { absoluteStaticCrop } from './absolute-static-crop.js';
import { continueIf } from './continue-if.js';
import { detectionsTransformation } from './detections-transformation.js';
import { dimensionCollapse } from './dimension-collapse.js';
import { dynamicCrop } from './dynamic-crop.js';
import { expression } from './expression.js';
import { firstNonEmptyOrDefault } from './first-non-empty-or-default.js';
import { imagePreprocessing } from './image-preprocessing.js';
import { imageResize } from './image-resize.js';
import { propertyDefinition } from './property-definition.js';
import { relativeStaticCrop } from './relative-static-crop.js';

export {
  absoluteStaticCrop,
  continueIf,
  detectionsTransformation,
  dimensionCollapse,
  dynamicCrop,
  expression,
  firstNonEmptyOrDefault,
  imagePreprocessing,
  imageResize,
  propertyDefinition,
  relativeStaticCrop,
};

/** The blocks that ship with @vad/core. */
export function coreBlocks(): AnyBlock[] {
  return [propertyDefinition, continueIf, imageResize, imagePreprocessing, absoluteStaticCrop, relativeStaticCrop, dimensionCollapse, dynamicCrop, detectionsTransformation, expression, firstNonEmptyOrDefault];
}
