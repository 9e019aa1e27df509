import type { WorkflowDefinition, WorkflowStep } from '../definition.js';
import { fail } from './fail.js';

/** Roboflow's step that runs another workflow inside this one. */
const innerWorkflowTypes = new Set(['roboflow_core/inner_workflow@v1', 'InnerWorkflow']);
const stepSelector = /^\$steps\.([A-Za-z0-9_\-]+)(?:\.(.+))?$/;
const inputSelector = /^\$inputs\.([A-Za-z0-9_\-]+)$/;
const maxDepth = 8;

/**
 * Pass 0b (before anything is bound): every `roboflow_core/inner_workflow@v1` step is replaced by
 * its child definition's steps, as Roboflow's engine inlines them. A child step `s` of step
 * `nested` becomes `nested__s`; the child's `$inputs.x` becomes what `parameter_bindings.x` gives
 * (a selector of the parent or a literal), else the input's `default_value`; the parent's
 * `$steps.nested.out` becomes the selector of the child's output `out`, and a flow-control step
 * that governs `$steps.nested` governs every inlined step. So the rest of the compiler, the
 * levels and the engine see one flat workflow.
 */
export function inlineInnerWorkflows(definition: WorkflowDefinition, depth = 0): WorkflowDefinition {
  if (!definition.steps.some((step) => step && innerWorkflowTypes.has(step.type))) return definition;
  if (depth >= maxDepth) fail(`inner workflows nest deeper than ${maxDepth} levels`, { property: 'steps' });
  const outputsOf = new Map<string, Map<string, string>>();
  const stepsOf = new Map<string, string[]>();
  const steps: WorkflowStep[] = [];
  for (const step of definition.steps) {
    if (!step || !innerWorkflowTypes.has(step.type)) {
      steps.push(step);
      continue;
    }
    const inlined = inlineOne(step, depth);
    outputsOf.set(step.name, inlined.outputs);
    stepsOf.set(step.name, inlined.steps.map((s) => s.name));
    steps.push(...inlined.steps);
  }
  const rewrite = (value: string, where: { stepName?: string; property: string }): string | string[] => {
    const match = stepSelector.exec(value);
    const inner = match && outputsOf.get(match[1]!);
    if (!match || !inner) return value;
    if (match[2] === undefined) return stepsOf.get(match[1]!)!.map((name) => `$steps.${name}`);
    const target = inner.get(match[2]);
    if (target === undefined) fail(`inner workflow "${match[1]}" has no output "${match[2]}" (it has: ${[...inner.keys()].join(', ') || 'none'})`, { ...where, selector: value });
    return target;
  };
  return {
    ...definition,
    steps: steps.map((step) => (stepsOf.has(step.name) ? step : mapStrings(step, (value, property) => rewrite(value, { stepName: step.name, property })) as WorkflowStep)),
    outputs: definition.outputs.map((output) => ({ ...output, selector: flatOne(rewrite(output.selector, { property: `outputs.${output.name}` }), output.selector) })),
  };
}

interface Inlined {
  steps: WorkflowStep[];
  /** Child output name → the selector (in the parent's terms) it reads. */
  outputs: Map<string, string>;
}

function inlineOne(step: WorkflowStep, depth: number): Inlined {
  const where = { stepName: step.name };
  // Some revisions of Roboflow's inner workflow tests name the inline definition `embedded_workflow`.
  if (step.workflow_definition !== undefined && step.embedded_workflow !== undefined) {
    fail('given twice, as "workflow_definition" and "embedded_workflow" (they name the same property)', { ...where, property: 'workflow_definition' });
  }
  const child = (step.workflow_definition ?? step.embedded_workflow) as WorkflowDefinition;
  if (child === undefined) {
    fail('vad runs inner workflows given inline as "workflow_definition"; a saved workflow (workflow_id) would be fetched from Roboflow\'s platform', { ...where, property: 'workflow_id' });
  }
  if (typeof child !== 'object' || child === null || !Array.isArray(child.steps) || !Array.isArray(child.inputs) || !Array.isArray(child.outputs)) {
    fail('"workflow_definition" must be a workflow definition with inputs, steps and outputs', { ...where, property: 'workflow_definition' });
  }
  const bindings = (step.parameter_bindings ?? {}) as Record<string, unknown>;
  if (typeof bindings !== 'object' || Array.isArray(bindings)) fail('"parameter_bindings" must map the inner inputs to values or selectors', { ...where, property: 'parameter_bindings' });
  const declared = new Set(child.inputs.map((input) => input.name));
  for (const name of Object.keys(bindings)) {
    if (!declared.has(name)) fail(`binds "${name}", which the inner workflow does not declare (it has: ${[...declared].join(', ') || 'none'})`, { ...where, property: `parameter_bindings.${name}` });
  }
  const inputValue = new Map<string, unknown>();
  for (const input of child.inputs) {
    if (input.name in bindings) inputValue.set(input.name, bindings[input.name]);
    else if ('default_value' in input) inputValue.set(input.name, input.default_value);
    else fail(`the inner workflow's input "${input.name}" is neither bound nor has a default_value`, { ...where, property: 'parameter_bindings' });
  }
  const flat = inlineInnerWorkflows(child, depth + 1);
  const prefix = `${step.name}__`;
  const childNames = new Set(flat.steps.map((s) => s.name));
  const translate = (value: string): unknown => {
    const input = inputSelector.exec(value);
    if (input && inputValue.has(input[1]!)) return inputValue.get(input[1]!);
    const selected = stepSelector.exec(value);
    if (selected && childNames.has(selected[1]!)) return `$steps.${prefix}${value.slice('$steps.'.length)}`;
    return value;
  };
  const steps = flat.steps.map((s) => ({ ...(mapStrings(s, translate) as WorkflowStep), name: `${prefix}${s.name}` }));
  const outputs = new Map<string, string>();
  for (const output of flat.outputs) {
    const target = translate(output.selector);
    if (typeof target !== 'string') fail(`the inner output "${output.name}" selects an input bound to a literal; select it in the parent instead`, { ...where, property: 'workflow_definition' });
    outputs.set(output.name, target);
  }
  return { steps, outputs };
}

/** Applies `change` to every string inside a step's properties (not its type or name); a list result splices into a list. */
function mapStrings(value: unknown, change: (value: string, property: string) => unknown, property = ''): unknown {
  if (typeof value === 'string') return change(value, property);
  if (Array.isArray(value)) {
    return value.flatMap((entry) => {
      const changed = mapStrings(entry, change, property);
      return typeof entry === 'string' && Array.isArray(changed) ? changed : [changed];
    });
  }
  if (typeof value !== 'object' || value === null) return value;
  const top = property === '';
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => [key, top && (key === 'type' || key === 'name') ? entry : mapStrings(entry, change, top ? key : `${property}.${key}`)]),
  );
}

function flatOne(value: string | string[], original: string): string {
  if (Array.isArray(value)) fail('an output must select one output of an inner workflow, not the whole step', { selector: original });
  return value;
}
