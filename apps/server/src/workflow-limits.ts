import { InvalidInputError, type WorkflowDefinition } from '@vad/core';
import { HttpProblem } from './http-errors.js';

/**
 * Refuses a definition with more steps than the server allows, before it is compiled: the
 * compiler's work and the run's memory grow with the steps, and no real workflow needs thousands.
 */
export function checkWorkflowSize(definition: WorkflowDefinition, maxSteps: number): void {
  const steps = (definition as { steps?: unknown }).steps;
  if (Array.isArray(steps) && steps.length > maxSteps) {
    throw new InvalidInputError({ message: `the workflow has ${steps.length} steps, more than this server's limit of ${maxSteps} (VAD_MAX_WORKFLOW_STEPS)`, property: 'steps' });
  }
}

/** Refuses a request with more images than the server allows, before any of them is decoded. */
export function checkImageCount(inputs: unknown, imageInputs: ReadonlySet<string>, maxImages: number): void {
  if (!inputs || typeof inputs !== 'object') return;
  let count = 0;
  for (const [name, value] of Object.entries(inputs)) {
    if (imageInputs.has(name)) count += countImages(value);
  }
  if (count > maxImages) {
    throw new InvalidInputError({ message: `the request carries ${count} images, more than this server's limit of ${maxImages} per request (VAD_MAX_IMAGES_PER_REQUEST): send them in several requests`, property: 'inputs' });
  }
}

/** Images in one input's value: a batch list, or nested lists for a batch input of dimensionality 2 and more. */
function countImages(value: unknown): number {
  return Array.isArray(value) ? value.reduce((sum: number, item) => sum + countImages(item), 0) : 1;
}

/** How deeply a request's JSON may nest: real definitions stay under 20 levels, and deeper values overflow recursive code. */
export const maxJsonDepth = 64;

/**
 * Refuses a parsed JSON value nested deeper than `maxJsonDepth`, naming where (walked with an
 * explicit stack, so the check itself cannot overflow).
 */
export function checkJsonDepth(value: unknown, what: string): void {
  const stack: Array<{ node: unknown; depth: number; path: string }> = [{ node: value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= maxJsonDepth) {
      throw new HttpProblem(400, 'MalformedPayloadError', `${what} is nested more than ${maxJsonDepth} levels deep (at ${path.slice(0, 200) || 'the top'}…)`, path.split(/[.[]/)[1] || what);
    }
    for (const [key, child] of Object.entries(node)) {
      if (child !== null && typeof child === 'object') stack.push({ node: child, depth: depth + 1, path: Array.isArray(node) ? `${path}[${key}]` : `${path}.${key}` });
    }
  }
}
