export { VadError, WorkflowCompileError, InvalidInputError, StepExecutionError, PluginLoadError, ModelLoadError, AbortedError } from './errors.js';
export type { VadErrorOptions } from './errors.js';
export { kinds, isKindCompatible } from './kinds.js';
export type { Kind } from './kinds.js';
export { VadImage, loadSharp, defaultMaxPixels } from './image.js';
export type { RgbPixels, ImageLineage } from './image.js';
export { newDetectionId, isDetections, isAnomalyMap, isClassification, topClass } from './values.js';
export type { Detection, Detections, AnomalyMap, ClassScore, Classification, SingleLabelClassification, MultiLabelClassification } from './values.js';
export { moveDetection, toParentCoordinates } from './detections.js';
export { anchorPoint, anchorPositions, type AnchorPosition } from './anchors.js';
export { defineBlock, field } from './blocks.js';
export type {
  AnyBlock,
  BlockV1,
  BlockInstance,
  CreateContext,
  RunContext,
  HostContext,
  HostLogger,
  FieldSpec,
  FieldAccepts,
  Manifest,
  OutputSpec,
  OutputsSpec,
  InferInputs,
  InferOutputs,
  Dimensionality,
} from './blocks.js';
export { createBlockRegistry, describe, describeBlock } from './registry.js';
export type { BlockRegistry } from './registry.js';
export { parseSelector } from './definition.js';
export type { WorkflowDefinition, WorkflowInput, WorkflowStep, WorkflowOutput, Selector } from './definition.js';
export { compileWorkflow } from './compile.js';
export { explainWorkflow } from './explain.js';
export { parseVideoMetadata, type VideoMetadata } from './workflow/inputs.js';
export type { StepExplanation, WorkflowExplanation } from './explain.js';
export { cloudBlockFamilies, describeCloudBlock } from './compile/cloud-blocks.js';
export type { WorkflowPlan, CompiledStep, CompiledInput, CompiledOutput, CompiledProperty, Binding } from './compile.js';
export { createWorkflow } from './workflow.js';
export type { Workflow, RunOptions, RunResult, StepTiming, CreateWorkflowOptions } from './workflow.js';
export { loadPlugins, pluginNamesFromEnv } from './plugins.js';
export type { LoadedPlugin } from './plugins.js';
export { coreBlocks, propertyDefinition, continueIf, deltaFilter, rateLimiter, environmentSecretsStore, imageResize, imagePreprocessing, absoluteStaticCrop, relativeStaticCrop } from './core-blocks/index.js';
export { rotateImage } from './core-blocks/image-geometry.js';
export { cropDetections } from './core-blocks/dynamic-crop.js';
export {
  applyOperations,
  evaluateStatement,
  valuesEqual,
  operation as queryOperation,
  statement as queryStatement,
  type Operation as QueryOperation,
  type Statement as QueryStatement,
  type Parameters as QueryParameters,
} from './query-language/index.js';
export { z } from 'zod';
export { serializeValue, summarizeAnomalyMap } from './serialize.js';
export type { SerializeVisitor } from './serialize.js';
export { readWorkflowFile } from './workflow-file.js';
export { sliceLayout } from './slice-layout.js';
export type { SliceLayoutOptions, SliceRegion } from './slice-layout.js';
export { roundHalfEven } from './round-half-even.js';
export { createRandom } from './random.js';
export { readEmbedding, vectorNorm, normFromSquares, type EmbeddingValue, type VectorSource } from './vectors.js';
export { labelComponents, type Component, type ComponentLabels } from './connected-components.js';
export { externalContours, traceOuterBorder, simplifyOutline, type OutlinePoint } from './component-outline.js';
export { compressCounts, decodeRle, decompressCounts, encodeMask, isCocoRle, labelRuns, rleArea, type CocoRle } from './coco-rle.js';
export { detectionMask, fillPolygon } from './detection-mask.js';
export { approximatePolygon, containsPoint, convexHull, perimeter, polygonArea, type PolygonPoint } from './polygon.js';
export { colormapLookupTable, colormapNames, type ColormapName } from './colormaps.js';
