import type { WorkflowDefinition } from '@vad/core';
import type { RunQueue } from './run-queue.js';
import type { WorkflowCache } from './workflow-cache.js';
import { runWorkflowRequest, type RunEnvironment } from './run-workflow-request.js';
import type { RunRequestBody, RunResponse } from './run-request-body.js';

export interface RunOptions {
  signal: AbortSignal;
  /** Stateful blocks keep their state per stream id (the WebSocket stream's frames). */
  streamId?: string;
}

/** Where workflow runs happen: in this process, or on workers behind Redis (queue mode). */
export interface WorkflowRuns {
  execute(definition: WorkflowDefinition, body: RunRequestBody, options: RunOptions): Promise<RunResponse>;
  /** Forgets a stream's state (its stateful blocks start afresh if the id comes back). */
  endStream(definition: WorkflowDefinition, streamId: string): Promise<void>;
}

/**
 * Runs in this process: compile (cached by definition hash), wait for a slot in the run queue,
 * then run. A bad definition fails before it takes a slot.
 */
export function createLocalRuns(options: { workflows: WorkflowCache; queue: RunQueue; environment: RunEnvironment; onCacheSize?: (size: number) => void }): WorkflowRuns {
  return {
    async execute(definition, body, runOptions) {
      const lease = options.workflows.acquire(definition);
      options.onCacheSize?.(options.workflows.size);
      try {
        return await options.queue.run(() => runWorkflowRequest(options.environment, lease, body, runOptions), runOptions.signal);
      } finally {
        lease.release();
      }
    },
    async endStream(definition, streamId) {
      const lease = options.workflows.acquire(definition);
      try {
        await lease.workflow.resetStream(streamId);
      } finally {
        lease.release();
      }
    },
  };
}
