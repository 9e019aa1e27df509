import type { AnyBlock } from './blocks.js';
import { compileWorkflow } from './compile.js';
import { describeCloudBlock } from './compile/cloud-blocks.js';
import { ignoresUnknownProperties, unknownProperties } from './compile/properties.js';
import { parseSelector, type WorkflowDefinition, type WorkflowOutput, type WorkflowStep } from './definition.js';
import { WorkflowCompileError } from './errors.js';
import type { BlockRegistry } from './registry.js';

export interface StepExplanation {
  readonly name: string;
  readonly type: string;
  /** The block that runs the step (its vad type name), when the registry has one. */
  readonly block?: string;
  /**
   * Why the step cannot run: `cloud` (a hosted block vad does not run), `unknown` (no block answers
   * to the type), `invalid` (its properties or selectors are wrong), `dependency` (it needs a step
   * that cannot run). Absent when it runs.
   */
  readonly problem?: { readonly kind: 'cloud' | 'unknown' | 'invalid' | 'dependency'; readonly message: string };
  /** Properties its block lacks that are ignored, as Roboflow ignores them (the step uses a Roboflow name). */
  readonly ignored?: readonly string[];
}

export interface WorkflowExplanation {
  readonly steps: readonly StepExplanation[];
  /** Outputs left out because they select a step that cannot run. */
  readonly droppedOutputs: readonly { readonly name: string; readonly message: string }[];
  /** A problem of the definition as a whole (its shape, an input, an output), which ends the explanation. */
  readonly workflowProblem?: string;
  /** Whether the whole definition compiles. */
  readonly runnable: boolean;
}

/**
 * Which steps of a definition vad runs, with the block each maps to, and why the others cannot
 * run. Unlike `compileWorkflow`, which stops at the first problem, it compiles again without each
 * step found wrong, so that every step is listed; a step that depends on one left out is reported
 * as such rather than as a missing step.
 */
export function explainWorkflow(definition: WorkflowDefinition, registry: BlockRegistry): WorkflowExplanation {
  const steps: WorkflowStep[] = Array.isArray(definition?.steps) ? definition.steps.filter((s) => s && typeof s === 'object') : [];
  const problems = new Map<string, NonNullable<StepExplanation['problem']>>();
  for (const step of steps) {
    const cloud = describeCloudBlock(String(step.type));
    if (registry.get(step.type)) continue;
    problems.set(step.name, cloud ? { kind: 'cloud', message: `a cloud block vad does not run (${cloud})` } : { kind: 'unknown', message: 'no vad block answers to this type' });
  }
  let outputs: WorkflowOutput[] = Array.isArray(definition?.outputs) ? [...definition.outputs] : [];
  const droppedOutputs: { name: string; message: string }[] = [];
  let workflowProblem: string | undefined;
  for (let attempt = 0; attempt <= steps.length + outputs.length; attempt++) {
    const remaining = steps.filter((s) => !problems.has(s.name));
    try {
      compileWorkflow({ ...definition, steps: remaining, outputs }, registry);
      break;
    } catch (error) {
      if (!WorkflowCompileError.isInstance(error)) throw error;
      const needs = stepOf(error.selector);
      const leftOut = needs !== undefined && problems.has(needs);
      if (error.stepName !== undefined && remaining.some((s) => s.name === error.stepName)) {
        problems.set(error.stepName, leftOut ? { kind: 'dependency', message: `needs step "${needs}", which cannot run` } : { kind: 'invalid', message: withoutStep(error.message, error.stepName) });
        continue;
      }
      const output = error.property?.startsWith('outputs.') ? error.property.slice('outputs.'.length) : undefined;
      if (output !== undefined && leftOut) {
        droppedOutputs.push({ name: output, message: `selects step "${needs}", which cannot run` });
        outputs = outputs.filter((o) => o.name !== output);
        continue;
      }
      workflowProblem = error.message;
      break;
    }
  }
  const explained = steps.map((step): StepExplanation => {
    const block: AnyBlock | undefined = registry.get(step.type);
    const problem = problems.get(step.name);
    const ignored = block && ignoresUnknownProperties(block, step) ? unknownProperties(block, step) : [];
    return { name: step.name, type: String(step.type), ...(block && { block: block.type }), ...(problem && { problem }), ...(ignored.length > 0 && { ignored }) };
  });
  return { steps: explained, droppedOutputs, ...(workflowProblem && { workflowProblem }), runnable: problems.size === 0 && droppedOutputs.length === 0 && !workflowProblem };
}

function stepOf(selector: string | undefined): string | undefined {
  const parsed = selector ? parseSelector(selector) : undefined;
  return parsed?.source === 'step' ? parsed.step : undefined;
}

/** The compile error's message without its leading `step "name", ` place. */
function withoutStep(message: string, stepName: string): string {
  const prefix = `step "${stepName}"`;
  if (!message.startsWith(prefix)) return message;
  return message.slice(prefix.length).replace(/^(: |, )/, '');
}
