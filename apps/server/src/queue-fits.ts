import type { Redis } from 'ioredis';
import { checkFitRequest, createFitJobBook, fitErrorEvent, type FitEvent, type FitJobs, type TrackedFitJob } from './fit-jobs.js';
import { createJobChannel, type JobChannel } from './job-channel.js';
import { fitsQueueName, type FitJobData, type FitJobResult } from './queue-jobs.js';
import type { QueueMetrics } from './queue-metrics.js';
import type { SharedStore } from './shared-store.js';

export interface QueuedFitJobs extends FitJobs {
  readonly channel: JobChannel<FitJobData, FitJobResult>;
  close(): Promise<void>;
}

/**
 * Fits on workers: the uploads go to the shared store, the fit is a BullMQ job, and its progress
 * events come back through the queue to the page and the SSE stream as they do in-process. A
 * worker writes the new model's manifest only when the model is complete, so a fit whose worker
 * dies leaves the previous model as it was (BullMQ hands the fit to another worker).
 */
export function createQueuedFitJobs(options: { url: string; connection: Redis; store: SharedStore; metrics: QueueMetrics; onFinished?: (job: TrackedFitJob) => void }): QueuedFitJobs {
  const book = createFitJobBook();
  let running = 0;
  const channel = createJobChannel<FitJobData, FitJobResult>(fitsQueueName, {
    ...options,
    onProgress: (jobId, data) => {
      const job = book.jobs.get(jobId);
      if (job && job.state === 'running') book.emit(job, data as FitEvent);
    },
  });

  async function follow(job: TrackedFitJob, images: readonly Uint8Array[], name: string, fitOptions: Record<string, unknown>) {
    running++;
    try {
      const uploads = await options.store.putUploads(job.id, images);
      book.emit(job, await channel.submit({ name, options: fitOptions, uploads }, { jobId: job.id }));
    } catch (error) {
      book.emit(job, fitErrorEvent(error));
    } finally {
      running--;
      await options.store.removeUploads(job.id).catch(() => {});
      options.onFinished?.(job);
    }
  }

  return {
    channel,
    get running() {
      return running;
    },
    start(request) {
      checkFitRequest(request);
      channel.ensureReachable();
      const job = book.add(request.name);
      job.promise = follow(job, request.images, request.name, request.options);
      return job;
    },
    get: book.get,
    subscribe: book.subscribe,
    idle: book.idle,
    abortAll() {
      // Fits run on workers and go on without this server; there is nothing here to stop.
    },
    close: () => channel.close(),
  };
}
