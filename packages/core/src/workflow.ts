import type { HostContext } from './blocks.js';
import type { WorkflowPlan } from './compile.js';
import { compileWorkflow } from './compile.js';
import type { WorkflowDefinition } from './definition.js';
import { AbortedError, InvalidInputError } from './errors.js';
import type { BlockRegistry } from './registry.js';
import { splitRecords } from './workflow/inputs.js';
import { runAcross } from './workflow/across.js';
import { createInstances } from './workflow/instances.js';
import { runRecord } from './workflow/record.js';
import type { RunState } from './workflow/run-state.js';

export interface RunOptions {
  /** Values for the workflow's inputs. An image input given an array runs a batch: one output record per image. */
  inputs: Record<string, unknown>;
  /** Stateful blocks (windows, accumulators) keep separate state per stream. Default `"default"`. */
  streamId?: string;
  signal?: AbortSignal;
  /** Collect per-step timings. */
  profile?: boolean;
}

export interface StepTiming {
  step: string;
  type: string;
  calls: number;
  totalMs: number;
}

export interface RunResult {
  /**
   * One record per input image (or batch element), keyed by the definition's output names. When
   * every output is a whole-batch value (a collapsed batch) or a parameter: one record.
   */
  outputs: Record<string, unknown>[];
  /** Problems that were not fatal, prefixed with the step that reported them. */
  warnings: string[];
  profile?: StepTiming[];
}

export interface Workflow {
  readonly plan: WorkflowPlan;
  readonly definition: WorkflowDefinition;
  run(options: RunOptions): Promise<RunResult>;
  /** Creates every non-stateful block instance now (loads models), instead of on the first run. */
  prepare(): Promise<void>;
  /** Forgets the state of one stream (its stateful instances are disposed). */
  resetStream(streamId: string): Promise<void>;
  /** Releases every instance (ONNX sessions, file handles). The workflow cannot run afterwards. */
  dispose(): Promise<void>;
}

export interface CreateWorkflowOptions {
  registry: BlockRegistry;
  host?: HostContext;
}

/** A value the same for every image: a parameter, or the output of a step fed only literals and parameters. */
function isParameter(plan: WorkflowPlan, output: WorkflowPlan['outputs'][number]): boolean {
  const binding = output.binding;
  if (binding.type === 'input') return plan.inputs.some((input) => input.name === binding.name && input.type === 'parameter');
  return plan.steps.some((step) => step.name === binding.step && !step.batchOriented);
}

/** Compiles a definition and returns a runnable workflow. Throws `WorkflowCompileError`. */
export function createWorkflow(definition: WorkflowDefinition, options: CreateWorkflowOptions): Workflow {
  const plan = compileWorkflow(definition, options.registry);
  const instances = createInstances(options.host ?? {});
  /** Frames seen per stream, for the video metadata the engine fills in. */
  const frameCounts = new Map<string, number>();
  let disposed = false;

  async function run(runOptions: RunOptions): Promise<RunResult> {
    if (disposed) throw new InvalidInputError({ message: 'this workflow has been disposed' });
    const streamId = runOptions.streamId ?? 'default';
    const frames = { streamId, named: runOptions.streamId !== undefined, nextFrameNumber: () => frameCounts.set(streamId, (frameCounts.get(streamId) ?? 0) + 1).get(streamId)! };
    const records = await splitRecords(plan, runOptions.inputs, frames);
    const warnings: string[] = [];
    const timings = runOptions.profile ? new Map<string, StepTiming>() : undefined;
    const controller = new AbortController();
    const outer = runOptions.signal;
    const onAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted) throw new AbortedError({ message: 'the run was cancelled before it started' });
    outer?.addEventListener('abort', onAbort, { once: true });
    const state: RunState = { streamId, signal: controller.signal, warnings, timings, instances };
    try {
      let outputs: Record<string, unknown>[];
      if (plan.steps.some((s) => s.runLevel < 0)) {
        outputs = await runAcross(plan, records, state);
        // Only whole-batch values (and parameters): one row, as Roboflow's engine gives.
        if (plan.outputs.some((o) => o.level < 0) && plan.outputs.every((o) => o.level < 0 || isParameter(plan, o))) outputs = outputs.slice(0, 1);
      } else if (plan.stateful) {
        // Frames of one stream are ordered: a stateful workflow sees a batch one image at a time.
        outputs = [];
        for (const record of records) outputs.push(await runRecord(plan, record, state));
      } else {
        outputs = await Promise.all(records.map((record) => runRecord(plan, record, state)));
      }
      return { outputs, warnings, ...(timings && { profile: [...timings.values()] }) };
    } catch (error) {
      controller.abort(error);
      if (outer?.aborted && !AbortedError.isInstance(error)) throw new AbortedError({ message: 'the run was cancelled', cause: error });
      throw error;
    } finally {
      outer?.removeEventListener('abort', onAbort);
    }
  }

  return {
    plan,
    definition,
    run,
    async prepare() {
      await Promise.all(plan.steps.filter((s) => !s.block.stateful).map((s) => instances.instanceFor(s, 'default')));
    },
    resetStream: (streamId) => {
      frameCounts.delete(streamId);
      return instances.resetStream(streamId);
    },
    async dispose() {
      disposed = true;
      await instances.disposeAll();
    },
  };
}
