import { z } from 'zod';
import type { WorkflowPlan } from '../compile.js';
import { InvalidInputError } from '../errors.js';
import { VadImage } from '../image.js';
import type { Values } from './run-state.js';

/** Splits the run's inputs into one record per batch element, applying defaults and checks. */
export async function splitRecords(plan: WorkflowPlan, given: Values): Promise<Values[]> {
  if (typeof given !== 'object' || given === null) throw new InvalidInputError({ message: 'inputs must be an object keyed by input name' });
  for (const name of Object.keys(given)) {
    if (!plan.inputs.some((input) => input.name === name)) {
      throw new InvalidInputError({ message: `unknown input "${name}" (the workflow declares: ${plan.inputs.map((i) => i.name).join(', ') || 'none'})`, property: name });
    }
  }
  const scalars: Values = {};
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
    const record: Values = { ...scalars };
    for (const [name, batch] of batches) record[name] = batch[index];
    return record;
  });
}

const dictionarySchema = z.record(z.string(), z.unknown());

/** A parameter given at run time is checked by the schema of every property it feeds. */
function validateParameters(plan: WorkflowPlan, scalars: Values) {
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
