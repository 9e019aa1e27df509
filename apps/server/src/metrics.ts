import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** How long workflow runs and their steps take (on the server, and on each worker in queue mode). */
export function createRunMetrics(registry: Registry) {
  return {
    stepDuration: new Histogram({
      name: 'vad_workflow_step_duration_seconds',
      help: 'Time spent in one workflow step per run, by block type',
      labelNames: ['block_type'] as const,
      buckets: latencyBuckets,
      registers: [registry],
    }),
    runDuration: new Histogram({
      name: 'vad_workflow_run_duration_seconds',
      help: 'Workflow execution time (inputs decoded to outputs ready), by outcome',
      labelNames: ['outcome'] as const,
      buckets: latencyBuckets,
      registers: [registry],
    }),
  };
}

/** Prometheus metrics of one server (its own registry, so two servers in one process never clash). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vad_' });
  return {
    ...createRunMetrics(registry),
    registry,
    requestDuration: new Histogram({
      name: 'vad_http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: latencyBuckets,
      registers: [registry],
    }),
    queueDepth: new Gauge({ name: 'vad_workflow_queue_depth', help: 'Workflow runs waiting for a free slot', registers: [registry] }),
    runsInFlight: new Gauge({ name: 'vad_workflow_runs_in_flight', help: 'Workflow runs executing now', registers: [registry] }),
    fitsRunning: new Gauge({ name: 'vad_fits_running', help: 'PatchCore fits running now', registers: [registry] }),
    workflowCacheSize: new Gauge({ name: 'vad_workflow_cache_entries', help: 'Compiled workflows held in the cache', registers: [registry] }),
    streamsOpen: new Gauge({ name: 'vad_streams_open', help: 'WebSocket streams open now', registers: [registry] }),
    errors: new Counter({ name: 'vad_errors_total', help: 'Error responses by error type', labelNames: ['error_type', 'status_code'] as const, registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
