import type { FastifyBaseLogger } from 'fastify';
import type { ServerConfig } from './config.js';
import type { StandardRegistry } from '@vad/standard';
import type { Metrics } from './metrics.js';
import type { WorkflowRuns } from './execute-workflow.js';
import type { WorkflowCache } from './workflow-cache.js';
import type { WorkflowStore } from './workflow-store.js';
import type { ModelStore } from './model-store.js';
import type { FitJobs } from './fit-jobs.js';

/** A task the server finishes after it starts listening (`/readiness` waits for all of them). */
export interface WarmupTask {
  name: string;
  state: 'pending' | 'ready' | 'failed';
  error?: string;
}

/** Everything a route needs, built once per server. */
export interface ServerContext {
  config: ServerConfig;
  blocks: StandardRegistry;
  workflows: WorkflowCache;
  store: WorkflowStore;
  /** Runs workflows: in this process, or on workers (queue mode, `VAD_REDIS_URL`). */
  runs: WorkflowRuns;
  metrics: Metrics;
  models: ModelStore;
  fits: FitJobs;
  warmup: WarmupTask[];
  log: FastifyBaseLogger;
  version: string;
  startedAt: Date;
}
