import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Queue } from 'bullmq';

const states = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/**
 * The queue's figures, on the server's and on each worker's `/metrics`: jobs per state (read
 * from Redis when scraped), how long jobs take, failures, and retries (stalled jobs, which BullMQ
 * hands to another worker).
 */
export function createQueueMetrics(registry: Registry, queues: () => readonly Queue[]) {
  const jobs = new Gauge({
    name: 'vad_queue_jobs',
    help: 'Jobs in the queue by state (waiting is the queue depth)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      for (const queue of queues()) {
        // While Redis is gone the figures are unknown; the scrape must still answer.
        const counts = await queue.getJobCounts(...states).catch(() => undefined);
        if (counts) for (const state of states) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
  return {
    jobs,
    jobSeconds: new Histogram({
      name: 'vad_queue_job_duration_seconds',
      help: 'Job latency: on a server from enqueue to answer, on a worker the processing time',
      labelNames: ['queue', 'outcome'] as const,
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
      registers: [registry],
    }),
    failures: new Counter({ name: 'vad_queue_failures_total', help: 'Jobs that failed or could not be queued, by reason', labelNames: ['queue', 'reason'] as const, registers: [registry] }),
    retries: new Counter({ name: 'vad_queue_retries_total', help: 'Jobs handed to another worker after theirs stopped (stalled)', labelNames: ['queue'] as const, registers: [registry] }),
    redisUp: new Gauge({ name: 'vad_queue_redis_up', help: '1 while the connection to Redis is ready', registers: [registry] }),
  };
}

export type QueueMetrics = ReturnType<typeof createQueueMetrics>;
