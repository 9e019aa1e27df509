import { readFile } from 'node:fs/promises';
import type { WorkflowDefinition } from './definition.js';
import { InvalidInputError } from './errors.js';

/**
 * Reads a workflow definition from a JSON file: a bare definition or a saved workflow's
 * `{ specification: … }` envelope. Errors name the file.
 */
export async function readWorkflowFile(file: string): Promise<WorkflowDefinition> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new InvalidInputError({ message: `cannot read workflow file ${file}: ${(cause as Error).message}`, path: file, cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError({ message: `workflow file ${file} is not valid JSON: ${(cause as Error).message}`, path: file, cause });
  }
  const definition = (value as { specification?: unknown } | null)?.specification ?? value;
  const shape = definition as Partial<WorkflowDefinition> | null;
  if (typeof shape !== 'object' || shape === null || !Array.isArray(shape.inputs) || !Array.isArray(shape.steps) || !Array.isArray(shape.outputs)) {
    throw new InvalidInputError({ message: `workflow file ${file} is not a workflow definition (it needs "inputs", "steps" and "outputs" arrays)`, path: file });
  }
  return definition as WorkflowDefinition;
}
