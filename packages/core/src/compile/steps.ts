import type { WorkflowStep } from '../definition.js';
import type { BlockRegistry } from '../registry.js';
import { describeCloudBlock } from './cloud-blocks.js';
import { fail, namePattern } from './fail.js';
import type { DeclaredStep, StepsByName } from './state.js';

/** Pass 2: every step has a unique name and a block type the registry knows. */
export function declareSteps(declared: readonly WorkflowStep[], registry: BlockRegistry): StepsByName {
  const steps = new Map<string, DeclaredStep>();
  for (const [index, step] of declared.entries()) {
    if (!step || typeof step.name !== 'string' || !namePattern.test(step.name)) fail(`step #${index} needs a "name" made of letters, digits, "_" or "-"`, { property: `steps[${index}]` });
    if (steps.has(step.name)) fail('duplicate step name', { stepName: step.name });
    const block = registry.get(step.type);
    if (!block) fail(unknownTypeMessage(step.type), { stepName: step.name, property: 'type' });
    steps.set(step.name, { block, raw: step });
  }
  return steps;
}

/** Why a type name has no block: a cloud block vad does not run, or a name no block answers to. */
export function unknownTypeMessage(type: unknown): string {
  const cloud = typeof type === 'string' ? describeCloudBlock(type) : undefined;
  if (cloud) return `block type "${String(type)}" is a cloud block vad does not run (${cloud})`;
  return `unknown block type ${JSON.stringify(type)}`;
}
