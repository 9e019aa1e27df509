import type { AnyBlock, Manifest, OutputsSpec } from '../blocks.js';
import { looksLikeSelector, type WorkflowStep } from '../definition.js';
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
    steps.set(step.name, { block, raw: step, outputs: outputsOf(block, step) });
  }
  return steps;
}

/**
 * The block's outputs, or, for a block with `outputsFor`, this step's: from the literals that
 * parse, and dictionary and list properties as written (entries may be selectors).
 */
function outputsOf(block: AnyBlock, raw: Readonly<Record<string, unknown>>): OutputsSpec {
  if (!block.outputsFor) return block.outputs;
  const literals: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(block.manifest as Manifest)) {
    const written = [name, ...(spec.aliases ?? [])].map((key) => raw[key]).find((value) => value !== undefined);
    if (written === undefined || looksLikeSelector(written)) continue;
    if ((spec.accepts === 'dictionary' || spec.accepts === 'list') && typeof written === 'object' && written !== null) {
      literals[name] = written; // as written: its entries may be selectors, its keys are what matter
      continue;
    }
    const parsed = spec.schema.safeParse(written);
    if (parsed.success) literals[name] = parsed.data;
  }
  return block.outputsFor(literals);
}

/** Why a type name has no block: a cloud block vad does not run, or a name no block answers to. */
export function unknownTypeMessage(type: unknown): string {
  const cloud = typeof type === 'string' ? describeCloudBlock(type) : undefined;
  if (cloud) return `block type "${String(type)}" is a cloud block vad does not run (${cloud})`;
  return `unknown block type ${JSON.stringify(type)}`;
}
