/**
 * Errors are data with a name. Every error vad throws is a `VadError` with a stable `name`
 * (`VAD_<Kind>Error`) and the place in the workflow it concerns, so a person can see *where*
 * the problem is. `isInstance` checks a global symbol marker, so it works across two copies of
 * @vad/core in one process.
 */
const marker = Symbol.for('vad.error');

export interface VadErrorOptions {
  message: string;
  /** The workflow step the problem concerns. */
  stepName?: string;
  /** The step property (or input name) the problem concerns. */
  property?: string;
  /** The selector (`$steps.x.y`, `$inputs.z`) the problem concerns. */
  selector?: string;
  /** A file, URL or other resource the problem concerns. */
  path?: string;
  cause?: unknown;
}

export class VadError extends Error {
  readonly [marker] = true;
  readonly stepName: string | undefined;
  readonly property: string | undefined;
  readonly selector: string | undefined;
  readonly path: string | undefined;

  constructor(name: string, options: VadErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = name;
    this.stepName = options.stepName;
    this.property = options.property;
    this.selector = options.selector;
    this.path = options.path;
    Object.defineProperty(this, Symbol.for(`vad.error.${name}`), { value: true });
  }

  static isInstance(error: unknown): error is VadError {
    return typeof error === 'object' && error !== null && marker in error;
  }

  /** Where the error is, as plain JSON (for HTTP responses and logs). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      ...(this.stepName && { stepName: this.stepName }),
      ...(this.property && { property: this.property }),
      ...(this.selector && { selector: this.selector }),
      ...(this.path && { path: this.path }),
    };
  }
}

function errorClass(name: string) {
  const symbol = Symbol.for(`vad.error.${name}`);
  return class extends VadError {
    constructor(options: VadErrorOptions) {
      super(name, options);
    }
    static override isInstance(error: unknown): error is VadError {
      return typeof error === 'object' && error !== null && symbol in error;
    }
  };
}

/** The workflow definition is wrong: a selector, a kind, a property, a cycle. */
export const WorkflowCompileError = errorClass('VAD_WorkflowCompileError');
/** The inputs given to a run are wrong (missing image, bad parameter, undecodable bytes). */
export const InvalidInputError = errorClass('VAD_InvalidInputError');
/** A step failed while running. `stepName` names it; `cause` holds what it threw. */
export const StepExecutionError = errorClass('VAD_StepExecutionError');
/** A plugin package could not be loaded or registers a block badly. */
export const PluginLoadError = errorClass('VAD_PluginLoadError');
/** A model file, URL or package could not be loaded or verified. */
export const ModelLoadError = errorClass('VAD_ModelLoadError');
/** A run was cancelled through its AbortSignal. */
export const AbortedError = errorClass('VAD_AbortedError');
