/**
 * `@vad/core/contract`: the block contract alone, for plugin packages. Its runtime is the block
 * helpers, the kinds and the errors, plus zod: the contract's one dependency, re-exported so
 * that a plugin builds its schemas with the same zod instance the engine validates with. Values
 * (images, detections, anomaly maps) come in as types only; nothing here loads the engine or sharp.
 */
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
export { kinds, isKindCompatible } from './kinds.js';
export type { Kind } from './kinds.js';
export { VadError, WorkflowCompileError, InvalidInputError, StepExecutionError, PluginLoadError, ModelLoadError, AbortedError } from './errors.js';
export type { VadErrorOptions } from './errors.js';
export type { Detection, Detections, AnomalyMap } from './values.js';
export type { VadImage, RgbPixels, ImageLineage } from './image.js';
export { z } from 'zod';
