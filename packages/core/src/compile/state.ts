import type { AnyBlock, FieldSpec, OutputsSpec } from '../blocks.js';
import type { Binding, CompiledInput } from './plan.js';

/** What the compiler's passes hand each other before the plan exists. */

export type InputsByName = ReadonlyMap<string, CompiledInput>;

export interface DeclaredStep {
  readonly block: AnyBlock;
  /** The step as written in the definition. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The step's outputs: the block's, or what its `outputsFor` says for this step's literals. */
  readonly outputs: OutputsSpec;
}
/** In definition order. */
export type StepsByName = ReadonlyMap<string, DeclaredStep>;

/** A property bound to a literal, an input or a step output; its level is known only after ordering. */
export interface BoundProperty {
  readonly name: string;
  readonly spec: FieldSpec;
  readonly binding: Binding;
  readonly entryKey?: string | number;
  /** For a `step_list` property: the steps it governs. */
  readonly stepTargets?: readonly string[];
}

/** Each step's bound properties, steps in definition order. */
export type BoundSteps = ReadonlyMap<string, readonly BoundProperty[]>;
