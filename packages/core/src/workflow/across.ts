import type { CompiledStep, WorkflowPlan } from '../compile.js';
import { outputsOf } from './record.js';
import type { RecordState, RunState, Values } from './run-state.js';
import { isSkipped, runOver, runStep } from './step.js';

/**
 * Runs a plan with steps of level -1 (one call for the whole batch, e.g. `dimension_collapse` of
 * per-image values): the other steps still run per record, each as soon as what it reads is
 * done, and a whole-batch step waits for every record's values and sees them as one list. Its
 * result is then visible to every record (as a value the same for every image).
 */
export async function runAcross(plan: WorkflowPlan, inputs: readonly Values[], run: RunState): Promise<Values[]> {
  const records: RecordState[] = inputs.map((values) => ({ inputs: values, results: new Map(), skipped: new Set(), passed: new Set() }));
  const batch: RecordState = { inputs: {}, results: new Map(), skipped: new Set(), passed: new Set() };
  const perRecord = new Map<string, Promise<void>[]>();
  const whole = new Map<string, Promise<void>>();
  const all: Promise<void>[] = [];
  for (const step of plan.steps) {
    if (step.runLevel < 0) {
      const ready = Promise.all(step.dependencies.flatMap((name) => whole.get(name) ?? perRecord.get(name)!));
      const promise = ready.then(() => runWholeBatchStep(step, records, batch, run));
      whole.set(step.name, promise);
      all.push(promise);
      continue;
    }
    const promises: Promise<void>[] = [];
    records.forEach((record, r) => {
      const ready = step.dependencies.map((name) => whole.get(name) ?? perRecord.get(name)![r]!);
      // A stateful step sees the frames of a stream in order.
      if (step.block.stateful && r > 0) ready.push(promises[r - 1]!);
      promises.push(Promise.all(ready).then(() => runStep(step, record, run)));
    });
    perRecord.set(step.name, promises);
    all.push(...promises);
  }
  for (const promise of all) promise.catch(() => {}); // observed by Promise.all below
  await Promise.all(all);
  return records.map((record) => outputsOf(plan, record));
}

/** One call for the whole batch: per-image values become a list over the batch's images. */
async function runWholeBatchStep(step: CompiledStep, records: readonly RecordState[], batch: RecordState, run: RunState): Promise<void> {
  let result: unknown = null;
  const governed = step.anyOfGates.every((gate) => records.some((record) => record.passed.has(`${gate}>${step.name}/`)));
  if (governed && !isSkipped(batch.skipped, step.name, [])) {
    // A per-image gate that stopped this step for an image masks that image out of what it collapses.
    records.forEach((record, r) => record.skipped.has(`${step.name}/`) && batch.skipped.add(`${step.name}/${r}`));
    for (const gate of step.anyOfGates) batch.passed.add(`${gate}>${step.name}/`);
    const first = records[0]!;
    const roots = step.properties.map((p) => {
      const binding = p.binding;
      if (binding.type === 'literal') return binding.value;
      if (binding.type === 'input') return p.scalar ? first.inputs[binding.name] : records.map((record) => record.inputs[binding.name]);
      if (p.level < 0) return batch.results.get(binding.step);
      return p.scalar ? first.results.get(binding.step) : records.map((record) => record.results.get(binding.step));
    });
    // Seen from the whole batch, a per-image value is one level deeper: a list over the images.
    const levels = step.properties.map((p) => (p.binding.type === 'literal' || p.scalar ? 0 : p.level + 1));
    result = await runOver({ ...step, runLevel: step.runLevel + 1 }, roots, levels, batch, run);
  }
  batch.results.set(step.name, result);
  for (const record of records) {
    record.results.set(step.name, result);
    if (step.block.flowControl) for (const key of batch.skipped) record.skipped.add(key);
  }
}
