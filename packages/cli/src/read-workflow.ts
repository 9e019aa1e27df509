import { readFile } from 'node:fs/promises';
import { InvalidInputError, type WorkflowDefinition } from '@vad/core';

/** Reads a workflow file; accepts a bare definition or Roboflow's `{specification: …}` envelope. */
export async function readWorkflow(file: string): Promise<WorkflowDefinition> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new InvalidInputError({ message: `cannot read workflow file ${file}: ${(cause as Error).message}`, path: file, cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError({ message: `workflow file ${file} is not valid JSON: ${(cause as Error).message}`, path: file, cause });
  }
  const envelope = parsed as { specification?: unknown };
  return (envelope && typeof envelope === 'object' && 'specification' in envelope ? envelope.specification : parsed) as WorkflowDefinition;
}
