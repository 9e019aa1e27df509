import type { FitProgress } from './model-record.js';

/** Progress of a CLI command: a stage and how far it is. */
export interface CommandProgress {
  readonly stage: FitProgress['stage'] | 'evaluate' | 'report' | 'calibrate' | 'auto';
  readonly done: number;
  readonly total: number;
}
