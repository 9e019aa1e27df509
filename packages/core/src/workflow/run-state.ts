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
  /** Steps a flow-control step said not to run. */
  readonly skipped: Set<string>;
}
