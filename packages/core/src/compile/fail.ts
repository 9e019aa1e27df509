import { WorkflowCompileError } from '../errors.js';

export interface Place {
  stepName?: string;
  property?: string;
  selector?: string;
}

/** Throws a `WorkflowCompileError` whose message starts with the place it concerns. */
export function fail(message: string, where: Place = {}): never {
  const place = [where.stepName && `step "${where.stepName}"`, where.property && `property "${where.property}"`, where.selector && `selector "${where.selector}"`]
    .filter(Boolean)
    .join(', ');
  throw new WorkflowCompileError({ message: place ? `${place}: ${message}` : message, ...where });
}

/** Input and step names. */
export const namePattern = /^[A-Za-z0-9_\-]+$/;
