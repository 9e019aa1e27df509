import type { StepTiming } from '../workflow.js';
import type { Instances } from './instances.js';

/** Values by name: one record's inputs, a step's arguments or outputs. */
export type Values = Record<string, unknown>;

/** What every step of one run shares. */
export interface RunState {
  readonly streamId: string;
  readonly signal: AbortSignal;
  readonly warnings: string[];
  readonly timings: Map<string, StepTiming> | undefined;
  readonly instances: Instances;
}

/** One record (one image of a batch) as its steps run. */
export interface RecordState {
  readonly inputs: Values;
  /** Each finished step's result, nested one array per level. */
  readonly results: Map<string, unknown>;
  /**
   * Where a flow-control step said a step must not run: `step name/element path` (the path is the
   * element's indices down to the gate's level, joined by "/"; empty at level 0). A skipped
   * element and every element nested in it give null.
   */
  readonly skipped: Set<string>;
  /**
   * Where a flow-control step of a deeper level said continue for a step it governs at a lower
   * level: `gate>step name/element path` (the path cut to the governed step's level). The
   * governed step runs for an element only when every such gate has an entry for it.
   */
  readonly passed: Set<string>;
}
