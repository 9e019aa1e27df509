import type { AnyBlock, FieldSpec, Manifest, OutputsSpec } from './blocks.js';
import type { WorkflowDefinition, WorkflowOutput } from './definition.js';
import { looksLikeSelector, parseSelector } from './definition.js';
import { WorkflowCompileError } from './errors.js';
import { isKindCompatible, type Kind } from './kinds.js';
import type { BlockRegistry } from './registry.js';

export type Binding =
  | { readonly type: 'literal'; readonly value: unknown }
  | { readonly type: 'input'; readonly name: string }
  | { readonly type: 'step'; readonly step: string; readonly output: string | '*' };

export interface CompiledProperty {
  readonly name: string;
  readonly spec: FieldSpec;
  readonly binding: Binding;
  /** For one value of a `dictionary` property: the key it fills. */
  readonly entryKey?: string;
  /** Dimensionality level of the bound value (0 = one per input image). */
  readonly level: number;
}

export interface CompiledStep {
  readonly name: string;
  readonly block: AnyBlock;
  readonly properties: readonly CompiledProperty[];
  /** Properties written literally, handed to `create()`. */
  readonly literals: Readonly<Record<string, unknown>>;
  readonly dependencies: readonly string[];
  /** Level at which `run()` is called once per element. */
  readonly runLevel: number;
  readonly outputLevel: number;
  /** For flow-control steps: the steps that run only when it says continue. */
  readonly flowTargets: readonly string[];
}

export interface CompiledInput {
  readonly name: string;
  readonly type: 'image' | 'parameter' | 'batch';
  readonly kinds: readonly Kind[];
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
}

const inputTypes: Record<string, CompiledInput['type']> = {
  WorkflowImage: 'image',
  InferenceImage: 'image',
  WorkflowParameter: 'parameter',
  InferenceParameter: 'parameter',
  WorkflowBatchInput: 'batch',
};

const namePattern = /^[A-Za-z0-9_\-]+$/;

function fail(message: string, where: { stepName?: string; property?: string; selector?: string } = {}): never {
  const place = [where.stepName && `step "${where.stepName}"`, where.property && `property "${where.property}"`, where.selector && `selector "${where.selector}"`]
    .filter(Boolean)
    .join(', ');
  throw new WorkflowCompileError({ message: place ? `${place}: ${message}` : message, ...where });
}

function declaredKinds(kind: unknown): Kind[] {
  if (!Array.isArray(kind) || kind.length === 0) return ['*'];
  return kind.map((k) => (typeof k === 'string' ? k : (k as { name: string }).name));
}

/**
 * Checks a definition against the registry and orders its steps. Every error names the step,
 * the property and the selector it concerns.
 */
/**
 * Roboflow's engine runs a definition whose `version` is at or below its own and of the same
 * major: every 1.x definition is read here (what later minors added is additive: blocks and
 * inputs, which are checked one by one below); another major is refused, naming what is read.
 */
function checkVersion(version: unknown): void {
  if (version === undefined) return;
  const match = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(String(version).trim());
  if (!match) fail(`workflow version ${JSON.stringify(version)} is not a version number like "1.0" or "1.3.0"`, { property: 'version' });
  if (match[1] !== '1') fail(`unsupported workflow version "${String(version)}"; this engine reads 1.x ("1.0" up to any "1.<minor>.<patch>")`, { property: 'version' });
}

export function compileWorkflow(definition: WorkflowDefinition, registry: BlockRegistry): WorkflowPlan {
  if (typeof definition !== 'object' || definition === null) fail('the workflow definition must be a JSON object', { property: 'specification' });
  checkVersion(definition.version);
  for (const key of ['inputs', 'steps', 'outputs'] as const) {
    if (!Array.isArray(definition[key])) fail(`the definition needs an array "${key}"`, { property: key });
  }

  const inputs = new Map<string, CompiledInput>();
  for (const [index, input] of definition.inputs.entries()) {
    if (!input || typeof input.name !== 'string' || !namePattern.test(input.name)) fail(`input #${index} needs a "name" made of letters, digits, "_" or "-"`, { property: `inputs[${index}]` });
    const type = inputTypes[input.type];
    if (!type) fail(`input "${input.name}" has unknown type "${input.type}" (expected WorkflowImage, WorkflowParameter or WorkflowBatchInput)`, { property: `inputs[${index}]` });
    if (inputs.has(input.name)) fail(`duplicate input name "${input.name}"`, { property: `inputs[${index}]` });
    if (type === 'batch' && (input as { dimensionality?: number }).dimensionality !== undefined && (input as { dimensionality?: number }).dimensionality !== 1) {
      fail(`input "${input.name}": only batch inputs of dimensionality 1 are supported`, { property: `inputs[${index}]` });
    }
    const hasDefault = 'default_value' in input;
    inputs.set(input.name, {
      name: input.name,
      type,
      kinds: type === 'image' ? ['image'] : declaredKinds((input as { kind?: unknown }).kind),
      hasDefault,
      ...(hasDefault && { defaultValue: (input as { default_value?: unknown }).default_value }),
    });
  }

  const stepsByName = new Map<string, { block: AnyBlock; raw: Record<string, unknown> }>();
  for (const [index, step] of definition.steps.entries()) {
    if (!step || typeof step.name !== 'string' || !namePattern.test(step.name)) fail(`step #${index} needs a "name" made of letters, digits, "_" or "-"`, { property: `steps[${index}]` });
    if (stepsByName.has(step.name)) fail('duplicate step name', { stepName: step.name });
    const block = registry.get(step.type);
    if (!block) fail(`unknown block type "${step.type}"`, { stepName: step.name, property: 'type' });
    stepsByName.set(step.name, { block, raw: step });
  }

  // Resolve every property's binding and kind; levels come after ordering.
  interface Pending {
    name: string;
    spec: FieldSpec;
    binding: Binding;
    entryKey?: string;
    stepTargets?: string[];
  }
  /** Resolves a selector written in a property to its binding and the kinds it carries. */
  const bindSelector = (text: string, where: { stepName: string; property: string }): { binding: Binding; kinds: readonly Kind[] } => {
    const selector = parseSelector(text);
    if (!selector || (selector.source === 'step' && selector.output === '')) {
      fail('malformed selector (expected "$inputs.<name>", "$steps.<step>.<output>" or "$steps.<step>.*")', { ...where, selector: text });
    }
    if (selector.source === 'input') {
      const input = inputs.get(selector.name);
      if (!input) fail(`no input named "${selector.name}"`, { ...where, selector: text });
      return { binding: { type: 'input', name: selector.name }, kinds: input.kinds };
    }
    const source = stepsByName.get(selector.step);
    if (!source) fail(`no step named "${selector.step}"`, { ...where, selector: text });
    if (selector.output === '*') return { binding: { type: 'step', step: selector.step, output: '*' }, kinds: ['*'] };
    const output = (source.block.outputs as OutputsSpec)[selector.output];
    if (!output) fail(`step "${selector.step}" (${source.block.type}) has no output "${selector.output}" (it has: ${Object.keys(source.block.outputs).join(', ')})`, { ...where, selector: text });
    return { binding: { type: 'step', step: selector.step, output: selector.output }, kinds: output.kinds };
  };
  const pending = new Map<string, Pending[]>();
  const dependencies = new Map<string, Set<string>>();
  for (const [stepName, { block, raw }] of stepsByName) {
    const properties: Pending[] = [];
    const deps = new Set<string>();
    for (const property of Object.keys(raw)) {
      if (property !== 'type' && property !== 'name' && !(property in block.manifest)) {
        fail(`unknown property (block ${block.type} accepts: ${Object.keys(block.manifest).join(', ') || 'none'})`, { stepName, property });
      }
    }
    for (const [property, spec] of Object.entries(block.manifest as Manifest)) {
      const value = raw[property];
      const where = { stepName, property };
      if (value === undefined || value === null) {
        if (!spec.optional) fail(`missing required property (${spec.description ?? spec.kinds.join(' | ') ?? 'value'})`, where);
        if (spec.accepts === 'literal' || spec.accepts === 'literal_or_selector') {
          const parsed = spec.schema.safeParse(undefined);
          properties.push({ name: property, spec, binding: { type: 'literal', value: parsed.success ? parsed.data : undefined } });
        }
        continue;
      }
      if (spec.accepts === 'step_list') {
        if (!Array.isArray(value)) fail('expected a list of step selectors like "$steps.name"', where);
        const targets = value.map((entry) => {
          const selector = typeof entry === 'string' ? parseSelector(entry) : undefined;
          if (!selector || selector.source !== 'step' || selector.output !== '') fail('expected a step selector like "$steps.name"', { ...where, selector: String(entry) });
          if (!stepsByName.has(selector.step)) fail(`no step named "${selector.step}"`, { ...where, selector: entry });
          if (selector.step === stepName) fail('a step cannot govern itself', { ...where, selector: entry });
          return selector.step;
        });
        properties.push({ name: property, spec, binding: { type: 'literal', value: targets }, stepTargets: targets });
        continue;
      }
      if (spec.accepts === 'dictionary' && typeof value === 'object' && !Array.isArray(value)) {
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.length === 0) properties.push({ name: property, spec, binding: { type: 'literal', value: {} } });
        for (const [key, entry] of entries) {
          const at = { stepName, property: `${property}.${key}` };
          if (!looksLikeSelector(entry)) {
            const parsed = spec.schema.safeParse(entry);
            if (!parsed.success) fail(`invalid value ${JSON.stringify(entry)}: ${parsed.error.issues[0]?.message ?? 'rejected by the schema'}`, at);
            properties.push({ name: property, spec, binding: { type: 'literal', value: parsed.data }, entryKey: key });
            continue;
          }
          const { binding, kinds } = bindSelector(entry, at);
          if (spec.kinds.length > 0 && !isKindCompatible(kinds, spec.kinds)) {
            fail(`kind mismatch: the selector gives [${kinds.join(', ')}] but the property accepts [${spec.kinds.join(', ')}]`, { ...at, selector: entry });
          }
          if (binding.type === 'step') deps.add(binding.step);
          properties.push({ name: property, spec, binding, entryKey: key });
        }
        continue;
      }
      if (looksLikeSelector(value)) {
        if (spec.accepts === 'literal') fail('this property must be written literally, not as a selector', { ...where, selector: value });
        const { binding, kinds } = bindSelector(value, where);
        if (binding.type === 'step') deps.add(binding.step);
        properties.push({ name: property, spec, binding });
        const expected = spec.accepts === 'dictionary' ? ['dictionary'] : spec.kinds;
        if (expected.length > 0 && !isKindCompatible(kinds, expected)) {
          fail(`kind mismatch: the selector gives [${kinds.join(', ')}] but the property accepts [${expected.join(', ')}]`, { ...where, selector: value });
        }
        continue;
      }
      if (spec.accepts === 'dictionary') fail(`expected a dictionary of values or selectors, got ${JSON.stringify(value)}`, where);
      if (spec.accepts === 'selector') fail(`expected a selector of kind [${spec.kinds.join(', ')}], got the literal ${JSON.stringify(value)}`, where);
      const parsed = spec.schema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const at = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
        fail(`invalid value ${JSON.stringify(value)}${at}: ${issue?.message ?? 'rejected by the schema'}`, where);
      }
      properties.push({ name: property, spec, binding: { type: 'literal', value: parsed.data } });
    }
    pending.set(stepName, properties);
    dependencies.set(stepName, deps);
  }
  // A flow-control step runs before the steps it governs.
  for (const [stepName, properties] of pending) {
    for (const target of properties.flatMap((p) => p.stepTargets ?? [])) dependencies.get(target)!.add(stepName);
  }

  const order = topologicalOrder(dependencies);

  const steps: CompiledStep[] = [];
  const outputLevels = new Map<string, number>();
  for (const stepName of order) {
    const { block } = stepsByName.get(stepName)!;
    const properties = pending.get(stepName)!;
    const levelOf = (binding: Binding) => (binding.type === 'step' ? outputLevels.get(binding.step)! : 0);
    const compiled = properties.map((p) => ({ name: p.name, spec: p.spec, binding: p.binding, level: levelOf(p.binding), ...(p.entryKey !== undefined && { entryKey: p.entryKey }) }));
    const dimensionality = block.dimensionality ?? 'keep';
    // Data properties (images, detections…) must agree on a level; parameters broadcast from lower levels.
    const data = compiled.filter((p) => p.binding.type !== 'literal' && p.spec.accepts === 'selector');
    const collapsing = data.filter((p) => p.spec.collapse);
    const regular = data.filter((p) => !p.spec.collapse);
    let runLevel = Math.max(0, ...compiled.map((p) => p.level));
    if (dimensionality === 'collapse') {
      if (collapsing.length === 0) fail(`block ${block.type} collapses a level but none of its collapsing properties is bound`, { stepName });
      const deeper = collapsing[0]!;
      if (deeper.level < 1) {
        fail(`wrong dimensionality: this property must come from a nested level (e.g. per-slice results), but its value has level 0`, {
          stepName,
          property: deeper.name,
          selector: bindingText(deeper.binding),
        });
      }
      runLevel = deeper.level - 1;
      for (const p of collapsing) checkLevel(p, deeper.level, stepName);
      for (const p of regular) checkLevel(p, runLevel, stepName);
    } else {
      const first = regular.reduce<CompiledProperty | undefined>((best, p) => (best === undefined || p.level > best.level ? p : best), undefined);
      if (first) {
        runLevel = Math.max(runLevel, first.level);
        for (const p of regular) checkLevel(p, first.level, stepName, first);
      }
    }
    for (const p of compiled) {
      if (p.spec.accepts !== 'selector' && p.level > runLevel) {
        fail(`wrong dimensionality: a parameter at level ${p.level} cannot feed a step that runs at level ${runLevel}`, { stepName, property: p.name, selector: bindingText(p.binding) });
      }
    }
    const flowTargets = properties.flatMap((p) => p.stepTargets ?? []);
    if (flowTargets.length > 0 && runLevel > 0) fail('flow control is supported at level 0 only (not inside slices)', { stepName });
    const outputLevel = dimensionality === 'expand' ? runLevel + 1 : runLevel;
    outputLevels.set(stepName, outputLevel);
    const literals: Record<string, unknown> = {};
    for (const p of compiled) {
      if (p.binding.type !== 'literal') continue;
      if (p.entryKey === undefined) literals[p.name] = p.binding.value;
      else ((literals[p.name] ??= {}) as Record<string, unknown>)[p.entryKey] = p.binding.value;
    }
    steps.push({ name: stepName, block, properties: compiled, literals, dependencies: [...dependencies.get(stepName)!], runLevel, outputLevel, flowTargets });
  }

  const outputNames = new Set<string>();
  const outputs = definition.outputs.map((output: WorkflowOutput, index) => {
    if (!output || typeof output.name !== 'string' || output.name === '') fail(`output #${index} needs a "name"`, { property: `outputs[${index}]` });
    if (outputNames.has(output.name)) fail(`duplicate output name "${output.name}"`, { property: output.name });
    outputNames.add(output.name);
    const where = { property: `outputs.${output.name}`, selector: String(output.selector) };
    const selector = typeof output.selector === 'string' ? parseSelector(output.selector) : undefined;
    if (!selector || (selector.source === 'step' && selector.output === '')) fail('malformed selector', where);
    if (selector.source === 'input') {
      if (!inputs.has(selector.name)) fail(`output selects nothing: no input named "${selector.name}"`, where);
      return { name: output.name, binding: { type: 'input', name: selector.name } as const, level: 0, coordinatesSystem: output.coordinates_system ?? 'own' };
    }
    const step = stepsByName.get(selector.step);
    if (!step) fail(`output selects nothing: no step named "${selector.step}"`, where);
    if (selector.output !== '*' && !(selector.output in step.block.outputs)) {
      fail(`output selects nothing: step "${selector.step}" (${step.block.type}) has no output "${selector.output}" (it has: ${Object.keys(step.block.outputs).join(', ')})`, where);
    }
    return {
      name: output.name,
      binding: { type: 'step', step: selector.step, output: selector.output } as const,
      level: outputLevels.get(selector.step)!,
      coordinatesSystem: output.coordinates_system ?? 'own',
    };
  });

  return { inputs: [...inputs.values()], steps, outputs, stateful: steps.some((s) => s.block.stateful) };
}

function bindingText(binding: Binding): string | undefined {
  if (binding.type === 'input') return `$inputs.${binding.name}`;
  if (binding.type === 'step') return `$steps.${binding.step}.${binding.output}`;
  return undefined;
}

function checkLevel(property: CompiledProperty, expected: number, stepName: string, other?: CompiledProperty) {
  if (property.level === expected) return;
  const versus = other ? ` while "${other.name}" (${bindingText(other.binding)}) has level ${other.level}` : `; expected level ${expected}`;
  fail(`wrong dimensionality: the value has level ${property.level}${versus}`, { stepName, property: property.name, selector: bindingText(property.binding) });
}

function topologicalOrder(dependencies: Map<string, Set<string>>): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const stack: string[] = [];
  const visit = (name: string) => {
    const seen = state.get(name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      fail(`cycle between steps: ${cycle.join(' → ')}`, { stepName: name });
    }
    state.set(name, 'visiting');
    stack.push(name);
    for (const dependency of dependencies.get(name) ?? []) visit(dependency);
    stack.pop();
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of dependencies.keys()) visit(name);
  return order;
}
