import type { WorkflowInput } from '../definition.js';
import { kinds, type Kind } from '../kinds.js';
import { fail, namePattern } from './fail.js';
import type { CompiledInput } from './plan.js';
import type { InputsByName } from './state.js';

const inputTypes: Record<string, CompiledInput['type']> = {
  WorkflowImage: 'image',
  InferenceImage: 'image',
  WorkflowParameter: 'parameter',
  InferenceParameter: 'parameter',
  WorkflowBatchInput: 'batch',
  WorkflowVideoMetadata: 'video_metadata',
  // Roboflow's batch input of instance segmentation predictions (one per image, or one for all).
  WorkflowInstanceSegmentation: 'batch',
};

/** Pass 1: every input has a unique name and a known type; parameters carry their declared kinds. */
export function compileInputs(declared: readonly WorkflowInput[]): InputsByName {
  const inputs = new Map<string, CompiledInput>();
  for (const [index, input] of declared.entries()) {
    if (!input || typeof input.name !== 'string' || !namePattern.test(input.name)) fail(`input #${index} needs a "name" made of letters, digits, "_" or "-"`, { property: `inputs[${index}]` });
    const type = inputTypes[input.type];
    if (!type) fail(`input "${input.name}" has unknown type "${input.type}" (expected WorkflowImage, WorkflowParameter, WorkflowBatchInput, WorkflowVideoMetadata or WorkflowInstanceSegmentation)`, { property: `inputs[${index}]` });
    if (inputs.has(input.name)) fail(`duplicate input name "${input.name}"`, { property: `inputs[${index}]` });
    const level = levelOf(input, type, index);
    const hasDefault = 'default_value' in input;
    inputs.set(input.name, {
      name: input.name,
      type,
      level,
      kinds: type === 'image' ? ['image'] : type === 'video_metadata' ? ['video_metadata'] : input.type === 'WorkflowInstanceSegmentation' ? [kinds.instanceSegmentationPrediction] : declaredKinds((input as { kind?: unknown }).kind),
      hasDefault,
      ...(hasDefault && { defaultValue: (input as { default_value?: unknown }).default_value }),
    });
  }
  return inputs;
}

/** As Roboflow: images and video metadata have dimensionality 1, parameters 0, batch inputs any d ≥ 1 (default 1). */
function levelOf(input: WorkflowInput, type: CompiledInput['type'], index: number): number {
  const declared = (input as { dimensionality?: unknown }).dimensionality;
  if (declared === undefined) return 0;
  const allowed = type === 'batch' ? 'an integer of at least 1' : type === 'parameter' ? '0' : '1';
  const valid = type === 'batch' ? Number.isInteger(declared) && (declared as number) >= 1 : declared === (type === 'parameter' ? 0 : 1);
  if (!valid) fail(`input "${input.name}": dimensionality ${JSON.stringify(declared)} is not allowed here (${input.type} takes ${allowed})`, { property: `inputs[${index}]` });
  return type === 'batch' ? (declared as number) - 1 : 0;
}

function declaredKinds(kind: unknown): Kind[] {
  if (!Array.isArray(kind) || kind.length === 0) return ['*'];
  return kind.map((k) => (typeof k === 'string' ? k : (k as { name: string }).name));
}
