import type { RunContext } from '../blocks.js';
import type { CompiledStep } from '../compile.js';
import { StepExecutionError } from '../errors.js';
import { callBlock } from './call-block.js';
import type { RecordState, RunState } from './run-state.js';

type Call = (values: unknown[], path: readonly number[]) => Promise<unknown>;

/** Runs one step of one record over every element of its run level, and keeps its result (null when skipped). */
export async function runStep(step: CompiledStep, record: RecordState, run: RunState): Promise<void> {
  if (isSkipped(record.skipped, step.name, [])) {
    record.results.set(step.name, null);
    return;
  }
  const { inputs, results } = record;
  const roots = step.properties.map((p) => (p.binding.type === 'literal' ? p.binding.value : p.binding.type === 'input' ? inputs[p.binding.name] : results.get(p.binding.step)));
  const levels = step.properties.map((p) => (p.binding.type === 'literal' ? 0 : p.level));
  if (step.lineageFrom !== undefined) {
    // The step's elements are its gate's: the gate's results drive the descent (not handed to the block).
    roots.push(results.get(step.lineageFrom));
    levels.push(step.runLevel);
  }
  results.set(step.name, await runOver(step, roots, levels, record, run));
}

/** Calls the step on every element of its run level below `roots` (values at `levels`); its nested result. */
export async function runOver(step: CompiledStep, roots: unknown[], levels: readonly number[], record: RecordState, run: RunState): Promise<unknown> {
  const instance = await run.instances.instanceFor(step, run.streamId);
  const context: RunContext = {
    stepName: step.name,
    streamId: run.streamId,
    signal: run.signal,
    warn: (message) => run.warnings.push(`${step.name}: ${message}`),
  };
  const call: Call = (values, path) => {
    if (step.lineageFrom !== undefined && values[values.length - 1] == null) return Promise.resolve(null);
    if (!passedEveryGate(step, record.passed, path)) return Promise.resolve(null);
    return callBlock(step, values, path, instance, context, record, run);
  };
  return walk(step, levels, roots, [], call, record.skipped);
}

/** True when a flow-control step skipped this step at this element (or at one that contains it). */
export function isSkipped(skipped: ReadonlySet<string>, stepName: string, path: readonly number[]): boolean {
  return skipped.size > 0 && skipped.has(`${stepName}/${path.join('/')}`);
}

/** For a step governed from deeper levels: whether each such gate continued somewhere inside this element. */
export function passedEveryGate(step: CompiledStep, passed: ReadonlySet<string>, path: readonly number[]): boolean {
  return step.anyOfGates.every((gate) => passed.has(`${gate}>${step.name}/${path.join('/')}`));
}

/**
 * Descends the nested levels of the step's values down to its run level and calls the block on
 * each element there; values of a lower level (parameters) are handed to every element.
 */
async function walk(step: CompiledStep, levels: readonly number[], values: unknown[], path: readonly number[], call: Call, skipped: ReadonlySet<string>): Promise<unknown> {
  const depth = path.length;
  if (depth > 0 && isSkipped(skipped, step.name, path)) return null;
  if (depth === step.runLevel) return call(values, path);
  let length = -1;
  for (let i = 0; i < values.length; i++) {
    if (levels[i]! <= depth) continue;
    const value = values[i];
    if (value == null) return null;
    const n = (value as unknown[]).length;
    if (length !== -1 && n !== length) {
      throw new StepExecutionError({ message: `step "${step.name}": its inputs have ${length} and ${n} elements at level ${depth + 1}`, stepName: step.name, property: step.properties[i]?.name });
    }
    length = n;
  }
  const children = new Array(Math.max(length, 0));
  for (let j = 0; j < children.length; j++) children[j] = walk(step, levels, values.map((v, i) => (levels[i]! > depth ? (v as unknown[])[j] : v)), [...path, j], call, skipped);
  return Promise.all(children);
}
