import type { AnyBlock } from '../blocks.js';
import { absoluteStaticCrop } from './absolute-static-crop.js';
import { continueIf } from './continue-if.js';
import { detectionsTransformation } from './detections-transformation.js';
import { dimensionCollapse } from './dimension-collapse.js';
import { dynamicCrop } from './dynamic-crop.js';
import { expression } from './expression.js';
import { imageResize } from './image-resize.js';
import { propertyDefinition } from './property-definition.js';

export { absoluteStaticCrop, continueIf, detectionsTransformation, dimensionCollapse, dynamicCrop, expression, imageResize, propertyDefinition };

/** The blocks that ship with @vad/core. */
export function coreBlocks(): AnyBlock[] {
  return [propertyDefinition, continueIf, imageResize, absoluteStaticCrop, dimensionCollapse, dynamicCrop, detectionsTransformation, expression];
}
