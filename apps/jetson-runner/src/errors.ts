import { VadError } from '@vad/core';
import type { VadErrorOptions } from '@vad/core';

/**
 * The runner's own errors, as `VadError`s with stable names so a supervisor (systemd, a log
 * shipper) can tell a bad config from a camera that cannot be reached.
 */

/** The runner's config file, a CLI flag or the workflow file it names is wrong. `path` is the file, `property` the key. */
export class RunnerConfigError extends VadError {
  constructor(options: VadErrorOptions) {
    super('VAD_RunnerConfigError', options);
  }
  static override isInstance(error: unknown): error is RunnerConfigError {
    return typeof error === 'object' && error !== null && Symbol.for('vad.error.VAD_RunnerConfigError') in error;
  }
}

/** A video source could not be opened, or a live one was lost for good. `path` names the source. */
export class SourceError extends VadError {
  readonly streamId: string;
  constructor(options: VadErrorOptions & { streamId: string }) {
    super('VAD_SourceError', options);
    this.streamId = options.streamId;
  }
  static override isInstance(error: unknown): error is SourceError {
    return typeof error === 'object' && error !== null && Symbol.for('vad.error.VAD_SourceError') in error;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
