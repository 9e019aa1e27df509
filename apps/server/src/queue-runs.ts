import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { WorkflowRuns } from './execute-workflow.js';
import type { WorkflowCache } from './workflow-cache.js';
import { ForwardedError, HttpProblem } from './http-errors.js';
import { createJobChannel, type JobChannel } from './job-channel.js';
import { endStreamJobName, runsQueueName, streamOwnerKey, workerKey, workerKeyPattern, workerQueueName, type RunJobData, type RunJobResult } from './queue-jobs.js';
import type { QueueMetrics } from './queue-metrics.js';

export interface QueuedRuns extends WorkflowRuns {
  channels(): JobChannel<RunJobData, RunJobResult>[];
  close(): Promise<void>;
}

/** Inputs as JSON can carry them: image bytes (a stream's binary frames) as base64. */
function jsonInputs(inputs: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!inputs) return inputs;
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, value instanceof Uint8Array ? { type: 'base64', value: Buffer.from(value).toString('base64') } : value]));
}

/** A stream stays with its worker this long after its last frame. */
const streamOwnershipMs = 60 * 60_000;

/**
 * Workflow runs on workers: the server checks the definition (compiled and cached here, so a bad
 * one never reaches the queue), queues the run and answers with the worker's response or error
 * as it is. Frames of one stream go to the worker that holds the stream's state, through that
 * worker's own queue; when that worker is gone, the stream moves to another, which starts its
 * stateful blocks afresh (a new warm-up).
 */
export function createQueuedRuns(options: { url: string; connection: Redis; workflows: WorkflowCache; timeoutMs: number; metrics: QueueMetrics }): QueuedRuns {
  const { connection } = options;
  const shared = createJobChannel<RunJobData, RunJobResult>(runsQueueName, options);
  const perWorker = new Map<string, JobChannel<RunJobData, RunJobResult>>();

  const channelFor = (workerId: string) => {
    let channel = perWorker.get(workerId);
    if (!channel) {
      channel = createJobChannel<RunJobData, RunJobResult>(workerQueueName(workerId), options);
      perWorker.set(workerId, channel);
    }
    return channel;
  };
  const forgetWorker = (workerId: string) => {
    const channel = perWorker.get(workerId);
    if (!channel) return;
    perWorker.delete(workerId);
    // Frames left in a dead worker's queue are never answered; clear them with the queue.
    void channel.queue.obliterate({ force: true }).catch(() => {}).finally(() => channel.close());
  };

  const liveWorkers = async (): Promise<string[]> => {
    const ids: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await connection.scan(cursor, 'MATCH', workerKeyPattern, 'COUNT', 200);
      cursor = next;
      for (const key of keys) ids.push(key.slice(workerKeyPattern.length - 1));
    } while (cursor !== '0');
    return ids;
  };

  /** The worker that holds the stream, or a live one chosen for it (the least loaded). */
  const ownerOf = async (streamId: string): Promise<string> => {
    const key = streamOwnerKey(streamId);
    const owner = await connection.get(key);
    if (owner && (await connection.exists(workerKey(owner)))) {
      await connection.pexpire(key, streamOwnershipMs);
      return owner;
    }
    if (owner) forgetWorker(owner);
    const workers = await liveWorkers();
    if (workers.length === 0) throw new HttpProblem(503, 'NoWorkerError', 'no worker is running (start one with `pnpm --filter @vad/worker start`, same VAD_REDIS_URL)', 'queue');
    const loads = await Promise.all(workers.map((id) => connection.hget(workerKey(id), 'streams').catch(() => '0')));
    const chosen = workers[loads.reduce((best, load, index) => (Number(load ?? 0) < Number(loads[best] ?? 0) ? index : best), 0)]!;
    await connection.set(key, chosen, 'PX', streamOwnershipMs);
    return chosen;
  };

  return {
    async execute(definition, body, runOptions) {
      // Compiling is cheap and blocks are created lazily, so this loads no model here.
      options.workflows.acquire(definition).release();
      shared.ensureReachable();
      const data: RunJobData = { definition, body: { ...body, inputs: jsonInputs(body.inputs) }, deadline: Date.now() + options.timeoutMs, ...(runOptions.streamId && { streamId: runOptions.streamId }) };
      const jobId = randomUUID();
      let result: RunJobResult;
      if (runOptions.streamId) {
        const owner = await ownerOf(runOptions.streamId);
        const streamId = runOptions.streamId;
        result = await channelFor(owner).submit(data, {
          jobId,
          signal: runOptions.signal,
          stillPossible: async () => {
            if (await connection.exists(workerKey(owner))) return undefined;
            await connection.del(streamOwnerKey(streamId));
            forgetWorker(owner);
            return `the worker holding stream "${streamId}" (${owner}) stopped during this frame; the next frame goes to another worker, whose stateful blocks start afresh`;
          },
        });
      } else {
        result = await shared.submit(data, { jobId, signal: runOptions.signal });
      }
      if (!result.ok) throw new ForwardedError(result.status, result.body);
      return result.response;
    },
    async endStream(definition, streamId) {
      const owner = await connection.get(streamOwnerKey(streamId));
      await connection.del(streamOwnerKey(streamId));
      if (owner) await channelFor(owner).send(endStreamJobName, { definition, body: {}, streamId, deadline: Date.now() + options.timeoutMs });
    },
    channels: () => [shared, ...perWorker.values()],
    async close() {
      await Promise.all([shared, ...perWorker.values()].map((channel) => channel.close()));
    },
  };
}
