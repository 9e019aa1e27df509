import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import type { ServerConfig } from './config.js';
import type { WorkflowCache } from './workflow-cache.js';
import type { WarmupTask } from './server-context.js';
import type { ModelStore } from './model-store.js';
import { describeRedis, modelsChangedChannel, redisConnection } from './queue-jobs.js';
import { createQueueMetrics } from './queue-metrics.js';
import { createQueuedRuns, type QueuedRuns } from './queue-runs.js';
import { createQueuedFitJobs, type QueuedFitJobs } from './queue-fits.js';
import { createFolderStore } from './shared-store.js';
import { createSharedModelStore } from './shared-model-store.js';

export interface QueueMode {
  runs: QueuedRuns;
  fits: QueuedFitJobs;
  models: ModelStore;
  /** `ready` while Redis answers; `/readiness` reports it. */
  redis: WarmupTask;
  /** Resolves once Redis first answers, or after five seconds (a server starts without Redis too). */
  firstConnection: Promise<void>;
  close(): Promise<void>;
}

/**
 * The server in queue mode (`VAD_REDIS_URL`): runs and fits go to workers through BullMQ, models
 * live in the shared store (`VAD_STORE_DIR`) that every server and worker mounts.
 */
export function createQueueMode(config: ServerConfig & { redisUrl: string }, deps: { workflows: WorkflowCache; registry: Registry; log: FastifyBaseLogger }): QueueMode {
  const url = config.redisUrl;
  const connection = redisConnection(url, 'producer');
  const redis: WarmupTask = { name: 'redis', state: 'pending', error: `connecting to ${describeRedis(url)}` };
  let wasReady = false;
  connection.on('ready', () => {
    redis.state = 'ready';
    delete redis.error;
    deps.log.info({ redis: describeRedis(url) }, wasReady ? 'reconnected to Redis' : 'connected to Redis');
    wasReady = true;
  });
  connection.on('close', () => {
    if (redis.state === 'ready') deps.log.error({ redis: describeRedis(url) }, 'lost the connection to Redis; reconnecting');
    redis.state = 'pending';
    redis.error = `Redis at ${describeRedis(url)} is unreachable; reconnecting`;
  });
  const firstConnection = new Promise<void>((resolve) => {
    connection.once('ready', () => resolve());
    setTimeout(resolve, 5000).unref();
  });
  connection.on('error', () => {}); // reported by the close handler and by each request's 503

  const store = createFolderStore(config.storeDir);
  const models = createSharedModelStore(store, async () => {
    await connection.publish(modelsChangedChannel, 'removed');
  });
  let runs: QueuedRuns;
  let fits: QueuedFitJobs;
  const metrics = createQueueMetrics(deps.registry, () => [...runs.channels(), fits.channel].map((channel) => channel.queue));
  connection.on('ready', () => metrics.redisUp.set(1));
  connection.on('close', () => metrics.redisUp.set(0));
  runs = createQueuedRuns({ url, connection, workflows: deps.workflows, timeoutMs: config.requestTimeoutMs, metrics });
  fits = createQueuedFitJobs({ url, connection, store, metrics });
  return {
    runs,
    fits,
    models,
    redis,
    firstConnection,
    async close() {
      await runs.close();
      await fits.close();
      connection.disconnect();
    },
  };
}
