import type { WorkflowPlan } from '../compile.js';
import { toParentCoordinates } from '../detections.js';
import type { RecordState, RunState, Values } from './run-state.js';
import { runStep } from './step.js';

/** Runs every step of one record, each as soon as the steps it depends on are done, and assembles its outputs. */
export async function runRecord(plan: WorkflowPlan, inputs: Values, run: RunState): Promise<Values> {
  const record: RecordState = { inputs, results: new Map(), skipped: new Set(), passed: new Set() };
  const done = new Map<string, Promise<void>>();
  for (const step of plan.steps) {
    const dependencies = step.dependencies.map((name) => done.get(name)!);
    const ready = dependencies.length === 0 ? Promise.resolve() : dependencies.length === 1 ? dependencies[0]! : Promise.all(dependencies);
    const promise = ready.then(() => runStep(step, record, run));
    promise.catch(() => {}); // observed by Promise.all below; this only silences the duplicate
    done.set(step.name, promise);
  }
  await Promise.all(done.values());
  return outputsOf(plan, record);
}

/** The record's outputs by name: a step output's field at its level, mapped to parent coordinates when asked. */
export function outputsOf(plan: WorkflowPlan, { inputs, results }: RecordState): Values {
  const outputs: Values = {};
  for (const output of plan.outputs) {
    let value: unknown;
    if (output.binding.type === 'input') value = inputs[output.binding.name];
    else {
      const field = output.binding.output;
      value = mapLeaves(results.get(output.binding.step), output.level, (leaf) => (leaf == null ? null : field === '*' ? leaf : (leaf as Values)[field]));
    }
    if (output.coordinatesSystem === 'parent') value = mapLeaves(value, output.level, toParentCoordinates);
    outputs[output.name] = value ?? null;
  }
  return outputs;
}

/** Applies `fn` to the leaves `depth` levels down (a value of level 0 or -1 is its own leaf). */
function mapLeaves(value: unknown, depth: number, fn: (leaf: unknown) => unknown): unknown {
  if (depth <= 0 || value == null) return depth <= 0 ? fn(value) : value;
  return (value as unknown[]).map((child) => mapLeaves(child, depth - 1, fn));
}
