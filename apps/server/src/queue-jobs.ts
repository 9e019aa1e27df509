import { Redis, type RedisOptions } from 'ioredis';
import type { WorkflowDefinition } from '@vad/core';
import type { ErrorBody } from './http-errors.js';
import type { RunRequestBody, RunResponse } from './run-request-body.js';
import type { FitEvent } from './fit-jobs.js';
import type { BlobRef } from './shared-store.js';

/**
 * What servers and workers agree on in queue mode: queue names, job payloads, and the few Redis
 * keys beside BullMQ's own. Every key lives under the `vad` prefix.
 */
export const queuePrefix = 'vad';
/** Workflow runs any worker may take. */
export const runsQueueName = 'runs';
/** PatchCore fits. */
export const fitsQueueName = 'fits';
/** Runs for the streams one worker holds (their stateful blocks live in that worker). */
export const workerQueueName = (workerId: string) => `runs-for-${workerId}`;
/** Published to whenever a model is written or removed; workers re-read the store when they hear it. */
export const modelsChangedChannel = `${queuePrefix}:models:changed`;
/** Set by each live worker with a short expiry (its heartbeat). */
export const workerKey = (workerId: string) => `${queuePrefix}:workers:${workerId}`;
export const workerKeyPattern = `${queuePrefix}:workers:*`;
/** Which worker holds a stream's state. */
export const streamOwnerKey = (streamId: string) => `${queuePrefix}:streams:${streamId}`;

/** Job names: a run, or the end of a stream (its worker forgets the stream's state). */
export const runJobName = 'run';
export const endStreamJobName = 'end-stream';

export interface RunJobData {
  definition: WorkflowDefinition;
  body: RunRequestBody;
  streamId?: string;
  /** Epoch milliseconds after which nobody waits for the answer (the request's timeout). */
  deadline: number;
}

/** A run's answer: the response, or the error response the server sends as it is. */
export type RunJobResult = { ok: true; response: RunResponse } | { ok: false; status: number; body: ErrorBody };

export interface FitJobData {
  name: string;
  options: Record<string, unknown>;
  /** The uploaded images, in the store's uploads under the job id. */
  uploads: BlobRef[];
}

export type FitJobResult = Extract<FitEvent, { type: 'done' }> | Extract<FitEvent, { type: 'error' }>;

/** How long finished jobs stay in Redis (BullMQ removes them after), and how many at most. */
export const keepFinished = { age: 600, count: 1000 } as const;
/** The events stream is trimmed to about this many entries (results travel in it). */
export const eventsStreamLength = 2000;

/**
 * A Redis connection for BullMQ. Blocking ones (workers, queue events) must retry forever;
 * producer ones fail fast while Redis is gone, so a request gets a 503 instead of hanging.
 */
export function redisConnection(url: string, kind: 'blocking' | 'producer', extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    ...(kind === 'blocking' ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1, enableOfflineQueue: false }),
    // Reconnect quickly at first, then every two seconds, for ever.
    retryStrategy: (times) => Math.min(times * 100, 2000),
    lazyConnect: false,
    ...extra,
  });
}

/** The URL without its password, for messages and logs. */
export function describeRedis(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'the configured Redis';
  }
}
