import type { AnyBlock, FieldSpec, OutputsSpec } from '../blocks.js';
import type { Kind } from '../kinds.js';

/** What `compileWorkflow` returns: the definition checked, bound and ordered. */

export type Binding =
  | { readonly type: 'literal'; readonly value: unknown }
  | { readonly type: 'input'; readonly name: string }
  | { readonly type: 'step'; readonly step: string; readonly output: string | '*' };

export interface CompiledProperty {
  readonly name: string;
  readonly spec: FieldSpec;
  readonly binding: Binding;
  /** For one value of a `dictionary` property: the key it fills; of a `list` property: its index. */
  readonly entryKey?: string | number;
  /**
   * Dimensionality level of the bound value (0 = one per input image; -1 = one for the whole
   * batch, made by a step that collapsed the batch).
   */
  readonly level: number;
  /**
   * True when the value is the same for every image of the batch: a literal, a parameter, or the
   * output of a step fed only such values. It is broadcast to any level.
   */
  readonly scalar: boolean;
}

/** Where the entries of a dictionary (string keys) or a list (number keys) property are gathered. */
export function containerFor(entryKey: string | number): Record<string, unknown> | unknown[] {
  return typeof entryKey === 'number' ? [] : {};
}

export interface CompiledStep {
  readonly name: string;
  readonly block: AnyBlock;
  /** This step's outputs (a block with `outputsFor` has outputs per step). */
  readonly outputs: OutputsSpec;
  readonly properties: readonly CompiledProperty[];
  /** Properties written literally, handed to `create()`. */
  readonly literals: Readonly<Record<string, unknown>>;
  readonly dependencies: readonly string[];
  /**
   * Level at which `run()` is called once per element; -1: once for the whole batch (a step that
   * collapses the batch, as Roboflow's `dimension_collapse` on per-image values, and the steps fed
   * only by such values).
   */
  readonly runLevel: number;
  readonly outputLevel: number;
  /** Whether its outputs differ per image (false: it is fed only literals and parameters). */
  readonly batchOriented: boolean;
  /** For flow-control steps: the steps that run only when it says continue. */
  readonly flowTargets: readonly string[];
  /**
   * For flow-control steps: those of `flowTargets` that run at a lower level than this step (a
   * whole image governed by its crops). Such a step runs for an element when at least one of this
   * step's elements inside it says continue, as Roboflow's engine does.
   */
  readonly anyOfTargets: readonly { readonly step: string; readonly level: number }[];
  /** The flow-control steps that govern this step from a deeper level (see `anyOfTargets`). */
  readonly anyOfGates: readonly string[];
  /**
   * A step fed no per-image data but governed by a flow-control step of a deeper level runs at
   * that step's level, once per element the gate decided on (Roboflow's control-flow lineage,
   * engine 1.8): the gate it takes its elements from.
   */
  readonly lineageFrom?: string;
}

export interface CompiledInput {
  readonly name: string;
  /** `video_metadata`: Roboflow's `WorkflowVideoMetadata`, one per image (filled from the stream when not given). */
  readonly type: 'image' | 'parameter' | 'batch' | 'video_metadata';
  readonly kinds: readonly Kind[];
  /**
   * Dimensionality level of the value of one record: 0 for images, parameters and batch inputs of
   * dimensionality 1; a `WorkflowBatchInput` of dimensionality d has level d − 1 (each record gets a
   * nested list, and the steps it feeds run once per innermost element).
   */
  readonly level: number;
  readonly defaultValue?: unknown;
  readonly hasDefault: boolean;
}

export interface CompiledOutput {
  readonly name: string;
  readonly binding: Exclude<Binding, { type: 'literal' }>;
  readonly level: number;
  readonly coordinatesSystem: 'own' | 'parent';
}

export interface WorkflowPlan {
  readonly inputs: readonly CompiledInput[];
  /** Steps in a topological order. */
  readonly steps: readonly CompiledStep[];
  readonly outputs: readonly CompiledOutput[];
  readonly stateful: boolean;
  /** Properties of steps written under Roboflow's names that their block lacks: ignored, as Roboflow ignores them. */
  readonly ignoredProperties: readonly { readonly stepName: string; readonly property: string }[];
}
