import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { AbortedError } from '@vad/core';
import { HttpProblem } from './http-errors.js';
import { describeRedis, eventsStreamLength, keepFinished, queuePrefix, redisConnection } from './queue-jobs.js';
import type { QueueMetrics } from './queue-metrics.js';

export interface SubmitOptions {
  jobId: string;
  signal?: AbortSignal;
  /** Polled while waiting; a message means the job will never finish (its worker is gone). */
  stillPossible?: () => Promise<string | undefined>;
}

/** One BullMQ queue as a server uses it: add a job, wait for its answer, hear its progress. */
export interface JobChannel<Data, Result> {
  readonly queue: Queue;
  submit(data: Data, options: SubmitOptions): Promise<Result>;
  /** Adds a job nobody waits for. */
  send(jobName: string, data: Data): Promise<void>;
  /** Throws the 503 a request gets while Redis is unreachable. */
  ensureReachable(): void;
  close(): Promise<void>;
}

function parsed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Answers arrive on the queue's event stream (one reader per channel, however many requests
 * wait). While Redis is unreachable, submitting fails at once with a 503 that says so, and
 * requests already waiting get the same; ioredis reconnects by itself, and the next request
 * goes through.
 */
export function createJobChannel<Data, Result>(
  name: string,
  options: { url: string; connection: Redis; metrics: QueueMetrics; onProgress?: (jobId: string, data: unknown) => void },
): JobChannel<Data, Result> {
  const where = describeRedis(options.url);
  const queue = new Queue(name, {
    connection: options.connection,
    prefix: queuePrefix,
    streams: { events: { maxLen: eventsStreamLength } },
    defaultJobOptions: { removeOnComplete: keepFinished, removeOnFail: keepFinished },
  });
  queue.on('error', () => {}); // connection errors are reported through requests and /readiness
  // Read from a minute back, not from "now": a job added before the reader's first XREAD (a queue
  // made just before its first job) must not have its answer missed.
  const events = new QueueEvents(name, { connection: redisConnection(options.url, 'blocking'), prefix: queuePrefix, lastEventId: `${Date.now() - 60_000}-0` });
  events.on('error', () => {});
  const waiters = new Map<string, { resolve(value: Result): void; reject(error: unknown): void }>();

  const unreachable = (detail: string) =>
    new HttpProblem(503, 'QueueUnavailableError', `the job queue (Redis at ${where}, VAD_REDIS_URL) is unreachable: ${detail}; the server reconnects by itself, retry shortly`, 'queue');

  events.on('completed', ({ jobId, returnvalue }) => waiters.get(jobId)?.resolve(parsed(returnvalue) as Result));
  events.on('failed', ({ jobId, failedReason }) => {
    const waiter = waiters.get(jobId);
    if (!waiter) return;
    options.metrics.failures.inc({ queue: name, reason: 'worker' });
    waiter.reject(new HttpProblem(500, 'WorkerError', `the job failed on a worker: ${failedReason}`, 'queue'));
  });
  events.on('stalled', () => options.metrics.retries.inc({ queue: name }));
  if (options.onProgress) events.on('progress', ({ jobId, data }) => options.onProgress!(jobId, parsed(data)));
  const onClose = () => {
    for (const waiter of waiters.values()) waiter.reject(unreachable('the connection was lost while waiting for a worker (the job may still finish)'));
  };
  options.connection.on('close', onClose);

  return {
    queue,
    ensureReachable() {
      if (options.connection.status !== 'ready') throw unreachable(`the connection is ${options.connection.status}`);
    },
    async submit(data, submit) {
      this.ensureReachable();
      const started = performance.now();
      let outcome = 'error';
      let poll: NodeJS.Timeout | undefined;
      let onAbort = () => {};
      const answer = new Promise<Result>((resolve, reject) => {
        waiters.set(submit.jobId, { resolve, reject });
        onAbort = () => {
          const reason = submit.signal?.reason as Error | undefined;
          reject(new AbortedError({ message: `the run was cancelled: ${reason?.message ?? 'aborted'}`, cause: reason }));
          // Not worth a worker's time any more; a job already running finishes and is dropped.
          void queue.remove(submit.jobId).catch(() => {});
        };
        if (submit.signal?.aborted) onAbort();
        else submit.signal?.addEventListener('abort', onAbort, { once: true });
        // Every second: an answer whose event was missed (a reconnect) is read from the job itself.
        poll = setInterval(() => {
          void queue.getJob(submit.jobId).then((job) => {
            if (job?.finishedOn && job.failedReason === undefined) resolve(job.returnvalue as Result);
          }, () => {});
          if (submit.stillPossible) void submit.stillPossible().then((problem) => problem && reject(new HttpProblem(503, 'WorkerLostError', problem, 'queue')), () => {});
        }, 1000);
      });
      try {
        try {
          await queue.add(name, data, { jobId: submit.jobId });
        } catch (error) {
          options.metrics.failures.inc({ queue: name, reason: 'enqueue' });
          throw unreachable((error as Error).message);
        }
        const result = await answer;
        outcome = 'ok';
        return result;
      } finally {
        waiters.delete(submit.jobId);
        clearInterval(poll);
        submit.signal?.removeEventListener('abort', onAbort);
        options.metrics.jobSeconds.observe({ queue: name, outcome }, (performance.now() - started) / 1000);
      }
    },
    async send(jobName, data) {
      await queue.add(jobName, data);
    },
    async close() {
      options.connection.off('close', onClose);
      await events.close().catch(() => {});
      await queue.close().catch(() => {});
    },
  };
}
