import { z } from 'zod';
import type { BlockInstance, HostContext, RunContext } from './blocks.js';
import type { CompiledStep, WorkflowPlan } from './compile.js';
import { compileWorkflow } from './compile.js';
import type { WorkflowDefinition } from './definition.js';
import { AbortedError, InvalidInputError, StepExecutionError } from './errors.js';
import { VadImage } from './image.js';
import type { BlockRegistry } from './registry.js';
import { toParentCoordinates } from './detections.js';

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
  /** One record per input image (or batch element), keyed by the definition's output names. */
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

type Instance = BlockInstance;
type Record_ = Record<string, unknown>;

/** Compiles a definition and returns a runnable workflow. Throws `WorkflowCompileError`. */
export function createWorkflow(definition: WorkflowDefinition, options: CreateWorkflowOptions): Workflow {
  const plan = compileWorkflow(definition, options.registry);
  const host = options.host ?? {};
  const shared = new Map<string, Promise<Instance>>();
  const perStream = new Map<string, Map<string, Promise<Instance>>>();
  let disposed = false;

  const instanceFor = (step: CompiledStep, streamId: string): Promise<Instance> => {
    const pool = step.block.stateful ? (perStream.get(streamId) ?? perStream.set(streamId, new Map()).get(streamId)!) : shared;
    let instance = pool.get(step.name);
    if (!instance) {
      instance = Promise.resolve()
        .then(() => step.block.create({ stepName: step.name, properties: step.literals, host }))
        .catch((cause: unknown) => {
          pool.delete(step.name);
          throw new StepExecutionError({ message: `step "${step.name}" (${step.block.type}) could not be created: ${messageOf(cause)}`, stepName: step.name, cause });
        });
      pool.set(step.name, instance);
    }
    return instance;
  };

  const disposePool = async (pool: Map<string, Promise<Instance>>) => {
    const instances = await Promise.allSettled(pool.values());
    pool.clear();
    await Promise.allSettled(instances.map((r) => (r.status === 'fulfilled' ? r.value.dispose?.() : undefined)));
  };

  async function run(runOptions: RunOptions): Promise<RunResult> {
    if (disposed) throw new InvalidInputError({ message: 'this workflow has been disposed' });
    const streamId = runOptions.streamId ?? 'default';
    const records = await splitRecords(plan, runOptions.inputs);
    const warnings: string[] = [];
    const timings = runOptions.profile ? new Map<string, StepTiming>() : undefined;
    const controller = new AbortController();
    const outer = runOptions.signal;
    const onAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted) throw new AbortedError({ message: 'the run was cancelled before it started' });
    outer?.addEventListener('abort', onAbort, { once: true });
    const context = { streamId, signal: controller.signal, warnings, timings };
    try {
      let outputs: Record_[];
      if (plan.stateful) {
        // Frames of one stream are ordered: a stateful workflow sees a batch one image at a time.
        outputs = [];
        for (const record of records) outputs.push(await runRecord(record, context));
      } else {
        outputs = await Promise.all(records.map((record) => runRecord(record, context)));
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

  interface RecordContext {
    streamId: string;
    signal: AbortSignal;
    warnings: string[];
    timings: Map<string, StepTiming> | undefined;
  }

  async function runRecord(inputs: Record_, context: RecordContext): Promise<Record_> {
    const results = new Map<string, unknown>();
    const skipped = new Set<string>();
    const done = new Map<string, Promise<void>>();
    for (const step of plan.steps) {
      const dependencies = step.dependencies.map((name) => done.get(name)!);
      const ready = dependencies.length === 0 ? Promise.resolve() : dependencies.length === 1 ? dependencies[0]! : Promise.all(dependencies);
      const promise = ready.then(() => runStep(step, inputs, results, skipped, context));
      promise.catch(() => {}); // observed by Promise.all below; this only silences the duplicate
      done.set(step.name, promise);
    }
    await Promise.all(done.values());
    const record: Record_ = {};
    for (const output of plan.outputs) {
      let value: unknown;
      if (output.binding.type === 'input') value = inputs[output.binding.name];
      else {
        const field = output.binding.output;
        value = mapLeaves(results.get(output.binding.step), output.level, (leaf) => (leaf == null ? null : field === '*' ? leaf : (leaf as Record_)[field]));
      }
      if (output.coordinatesSystem === 'parent') value = mapLeaves(value, output.level, toParentCoordinates);
      record[output.name] = value ?? null;
    }
    return record;
  }

  async function runStep(step: CompiledStep, inputs: Record_, results: Map<string, unknown>, skipped: Set<string>, context: RecordContext) {
    if (skipped.has(step.name)) {
      results.set(step.name, null);
      return;
    }
    const instance = await instanceFor(step, context.streamId);
    const runContext: RunContext = {
      stepName: step.name,
      streamId: context.streamId,
      signal: context.signal,
      warn: (message) => context.warnings.push(`${step.name}: ${message}`),
    };
    const roots = step.properties.map((p) => (p.binding.type === 'literal' ? p.binding.value : p.binding.type === 'input' ? inputs[p.binding.name] : results.get(p.binding.step)));
    const levels = step.properties.map((p) => (p.binding.type === 'step' ? p.level : 0));

    const leaf = async (values: unknown[]): Promise<unknown> => {
      const args: Record_ = {};
      for (let i = 0; i < step.properties.length; i++) {
        const property = step.properties[i]!;
        let value = values[i];
        if (property.binding.type === 'step') {
          const output = property.binding.output;
          const pick = (record: unknown) => (record == null ? undefined : output === '*' ? record : (record as Record_)[output]);
          value = property.spec.collapse && Array.isArray(value) ? value.map(pick) : pick(value);
        }
        if (property.entryKey !== undefined) {
          ((args[property.name] ??= {}) as Record_)[property.entryKey] = value ?? null;
          continue;
        }
        if (value == null && !property.spec.optional) return null; // an upstream step was skipped
        args[property.name] = value ?? undefined;
      }
      if (context.signal.aborted) throw new AbortedError({ message: `the run was cancelled before step "${step.name}"`, stepName: step.name });
      const started = context.timings ? performance.now() : 0;
      let result: unknown;
      try {
        result = await instance.run(args as never, runContext);
      } catch (cause) {
        if (AbortedError.isInstance(cause) || context.signal.aborted) throw cause;
        throw new StepExecutionError({ message: `step "${step.name}" (${step.block.type}) failed: ${messageOf(cause)}`, stepName: step.name, cause });
      }
      if (context.timings) {
        const timing = context.timings.get(step.name) ?? { step: step.name, type: step.block.type, calls: 0, totalMs: 0 };
        timing.calls++;
        timing.totalMs += performance.now() - started;
        context.timings.set(step.name, timing);
      }
      if (step.block.flowControl) {
        if (!(result as { continue?: boolean })?.continue) for (const target of step.flowTargets) skipped.add(target);
        return {};
      }
      return step.block.dimensionality === 'expand' ? transpose(step, result as Record_) : result;
    };

    const walk = async (values: unknown[], depth: number): Promise<unknown> => {
      if (depth === step.runLevel) return leaf(values);
      let length = -1;
      for (let i = 0; i < values.length; i++) {
        if (levels[i]! <= depth) continue;
        const value = values[i];
        if (value == null) return null;
        const n = (value as unknown[]).length;
        if (length !== -1 && n !== length) {
          throw new StepExecutionError({ message: `step "${step.name}": its inputs have ${length} and ${n} elements at level ${depth + 1}`, stepName: step.name, property: step.properties[i]!.name });
        }
        length = n;
      }
      const children = new Array(Math.max(length, 0));
      for (let j = 0; j < children.length; j++) children[j] = walk(values.map((v, i) => (levels[i]! > depth ? (v as unknown[])[j] : v)), depth + 1);
      return Promise.all(children);
    };
    results.set(step.name, await walk(roots, 0));
  }

  return {
    plan,
    definition,
    run,
    async prepare() {
      await Promise.all(plan.steps.filter((s) => !s.block.stateful).map((s) => instanceFor(s, 'default')));
    },
    async resetStream(streamId) {
      const pool = perStream.get(streamId);
      if (!pool) return;
      perStream.delete(streamId);
      await disposePool(pool);
    },
    async dispose() {
      disposed = true;
      await disposePool(shared);
      for (const pool of perStream.values()) await disposePool(pool);
      perStream.clear();
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An expanding block returns `{out: [a, b]}`; downstream wants `[{out: a}, {out: b}]`. */
function transpose(step: CompiledStep, result: Record_): Record_[] {
  const names = Object.keys(step.block.outputs);
  const length = (result[names[0]!] as unknown[] | undefined)?.length ?? 0;
  const rows: Record_[] = [];
  for (let j = 0; j < length; j++) {
    const row: Record_ = {};
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

function mapLeaves(value: unknown, depth: number, fn: (leaf: unknown) => unknown): unknown {
  if (depth === 0 || value == null) return depth === 0 ? fn(value) : value;
  return (value as unknown[]).map((child) => mapLeaves(child, depth - 1, fn));
}

/** Splits the run's inputs into one record per batch element, applying defaults and checks. */
async function splitRecords(plan: WorkflowPlan, given: Record<string, unknown>): Promise<Record_[]> {
  if (typeof given !== 'object' || given === null) throw new InvalidInputError({ message: 'inputs must be an object keyed by input name' });
  for (const name of Object.keys(given)) {
    if (!plan.inputs.some((input) => input.name === name)) {
      throw new InvalidInputError({ message: `unknown input "${name}" (the workflow declares: ${plan.inputs.map((i) => i.name).join(', ') || 'none'})`, property: name });
    }
  }
  const scalars: Record_ = {};
  const batches = new Map<string, unknown[]>();
  for (const input of plan.inputs) {
    let value = given[input.name];
    if (value === undefined) {
      if (!input.hasDefault) throw new InvalidInputError({ message: `input "${input.name}" is required`, property: input.name });
      value = input.defaultValue;
    }
    if (input.type === 'image') {
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0) throw new InvalidInputError({ message: `input "${input.name}" is an empty batch`, property: input.name });
      batches.set(input.name, await Promise.all(list.map((item, index) => asImage(item, list.length > 1 ? `${input.name}[${index}]` : input.name))));
    } else if (input.type === 'batch') {
      if (!Array.isArray(value)) throw new InvalidInputError({ message: `input "${input.name}" is a batch input and needs an array`, property: input.name });
      batches.set(input.name, value);
    } else {
      scalars[input.name] = value;
    }
  }
  const lengths = new Set([...batches.values()].map((b) => b.length));
  if (lengths.size > 1) throw new InvalidInputError({ message: `batch inputs have different lengths: ${[...batches].map(([n, b]) => `${n}=${b.length}`).join(', ')}` });
  const count = lengths.size === 0 ? 1 : [...lengths][0]!;
  validateParameters(plan, scalars);
  return Array.from({ length: count }, (_, index) => {
    const record: Record_ = { ...scalars };
    for (const [name, batch] of batches) record[name] = batch[index];
    return record;
  });
}

const dictionarySchema = z.record(z.string(), z.unknown());

function validateParameters(plan: WorkflowPlan, scalars: Record_) {
  for (const step of plan.steps) {
    for (const property of step.properties) {
      if (property.binding.type !== 'input' || !(property.binding.name in scalars)) continue;
      const value = scalars[property.binding.name];
      if (value === undefined && property.spec.optional) continue;
      const wholeDictionary = property.spec.accepts === 'dictionary' && property.entryKey === undefined;
      const parsed = wholeDictionary ? dictionarySchema.safeParse(value) : property.spec.schema.safeParse(value);
      if (!parsed.success) {
        throw new InvalidInputError({
          message: `input "${property.binding.name}" = ${JSON.stringify(value)} is not valid for step "${step.name}" property "${property.name}": ${parsed.error.issues[0]?.message}`,
          stepName: step.name,
          property: property.name,
          selector: `$inputs.${property.binding.name}`,
        });
      }
    }
  }
}

async function asImage(value: unknown, name: string): Promise<VadImage> {
  if (VadImage.isImage(value)) return value;
  if (value instanceof Uint8Array) return VadImage.fromBytes(value, { name: `input "${name}"` });
  throw new InvalidInputError({ message: `input "${name}" must be an image (got ${value === null ? 'null' : typeof value})`, property: name });
}
