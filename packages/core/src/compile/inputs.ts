import type { WorkflowInput } from '../definition.js';
import type { Kind } from '../kinds.js';
import { fail, namePattern } from './fail.js';
import type { CompiledInput } from './plan.js';
import type { InputsByName } from './state.js';

const inputTypes: Record<string, CompiledInput['type']> = {
  WorkflowImage: 'image',
  InferenceImage: 'image',
  WorkflowParameter: 'parameter',
  InferenceParameter: 'parameter',
  WorkflowBatchInput: 'batch',
};

/** Pass 1: every input has a unique name and a known type; parameters carry their declared kinds. */
export function compileInputs(declared: readonly WorkflowInput[]): InputsByName {
  const inputs = new Map<string, CompiledInput>();
  for (const [index, input] of declared.entries()) {
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
  return inputs;
}

function declaredKinds(kind: unknown): Kind[] {
  if (!Array.isArray(kind) || kind.length === 0) return ['*'];
  return kind.map((k) => (typeof k === 'string' ? k : (k as { name: string }).name));
}
