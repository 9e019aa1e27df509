import type { BlockInstance, RunContext } from '../blocks.js';
import type { CompiledStep } from '../compile.js';
import { containerFor } from '../compile/plan.js';
import { AbortedError, StepExecutionError } from '../errors.js';
import { messageOf } from './message-of.js';
import type { RecordState, RunState, Values } from './run-state.js';

/**
 * Calls a step's `run()` once, for one element of its run level; `values` are its properties'
 * values in manifest order, at element `path` of that level. Null when an upstream step was skipped.
 */
export async function callBlock(
  step: CompiledStep,
  values: unknown[],
  path: readonly number[],
  instance: BlockInstance,
  context: RunContext,
  flow: Pick<RecordState, 'skipped' | 'passed'>,
  run: RunState,
): Promise<unknown> {
  const args = argumentsOf(step, values, path, flow.skipped);
  if (args === null) return null;
  if (run.signal.aborted) throw new AbortedError({ message: `the run was cancelled before step "${step.name}"`, stepName: step.name });
  const started = run.timings ? performance.now() : 0;
  let result: unknown;
  try {
    result = await instance.run(args as never, context);
  } catch (cause) {
    if (AbortedError.isInstance(cause) || run.signal.aborted) throw cause;
    throw new StepExecutionError({ message: `step "${step.name}" (${step.block.type}) failed: ${messageOf(cause)}`, stepName: step.name, cause });
  }
  if (run.timings) {
    const timing = run.timings.get(step.name) ?? { step: step.name, type: step.block.type, calls: 0, totalMs: 0 };
    timing.calls++;
    timing.totalMs += performance.now() - started;
    run.timings.set(step.name, timing);
  }
  if (step.block.flowControl) {
    recordDecision(step, Boolean((result as { continue?: boolean })?.continue), path, flow);
    return {};
  }
  return step.block.dimensionality === 'expand' ? transpose(step, result as Values) : result;
}

/**
 * A stop skips the governed steps at this element (and inside it); a continue counts for the
 * governed steps of a lower level, which run where at least one element inside theirs continued.
 */
function recordDecision(step: CompiledStep, go: boolean, path: readonly number[], { skipped, passed }: Pick<RecordState, 'skipped' | 'passed'>): void {
  const anyOf = step.anyOfTargets;
  if (go) {
    for (const { step: target, level } of anyOf) passed.add(`${step.name}>${target}/${path.slice(0, Math.max(level, 0)).join('/')}`);
    return;
  }
  // For a governed step of a lower level the key is deeper than the step runs: it only masks
  // this element out of the lists the step collapses (see argumentsOf).
  for (const target of step.flowTargets) skipped.add(`${target}/${path.join('/')}`);
}

/**
 * The arguments of `run()`: a step output's field picked, dictionary and list entries gathered.
 * A collapsed list has null where a gate of that level stopped this step (as Roboflow masks a
 * deeper input by the gate's decisions).
 */
function argumentsOf(step: CompiledStep, values: unknown[], path: readonly number[], skipped: ReadonlySet<string>): Values | null {
  const args: Values = {};
  for (let i = 0; i < step.properties.length; i++) {
    const property = step.properties[i]!;
    let value = values[i];
    if (property.spec.collapse && Array.isArray(value) && step.anyOfGates.length > 0 && skipped.size > 0) {
      value = value.map((element, j) => (skipped.has(`${step.name}/${[...path, j].join('/')}`) ? null : element));
    }
    if (property.binding.type === 'step') {
      const output = property.binding.output;
      const pick = (record: unknown) => (record == null ? undefined : output === '*' ? record : (record as Values)[output]);
      value = property.spec.collapse && Array.isArray(value) ? value.map(pick) : pick(value);
    }
    if (property.entryKey !== undefined) {
      ((args[property.name] ??= containerFor(property.entryKey)) as Record<string | number, unknown>)[property.entryKey] = value ?? null;
      continue;
    }
    if (value == null && !property.spec.optional) return null; // an upstream step was skipped
    args[property.name] = value ?? undefined;
  }
  return args;
}

/** An expanding block returns `{out: [a, b]}`; downstream wants `[{out: a}, {out: b}]`. */
function transpose(step: CompiledStep, result: Values): Values[] {
  const names = Object.keys(step.outputs);
  const length = (result[names[0]!] as unknown[] | undefined)?.length ?? 0;
  const rows: Values[] = [];
  for (let j = 0; j < length; j++) {
    const row: Values = {};
    for (const name of names) {
      const column = result[name];
      if (!Array.isArray(column) || column.length !== length) {
        throw new StepExecutionError({ message: `step "${step.name}" expands a level, so output "${name}" must be a list of ${length} entries`, stepName: step.name });
      }
      row[name] = column[j];
    }
    rows.push(row);
  }
  return rows;
}
