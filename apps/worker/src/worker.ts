import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Queue, Worker, type Job } from 'bullmq';
import { pino, type Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { AbortedError } from '@vad/core';
import { createStandardRegistry } from '@vad/standard';
import {
  createFolderStore,
  createQueueMetrics,
  createRunMetrics,
  createWorkflowCache,
  describeRedis,
  endStreamJobName,
  fitErrorEvent,
  fitPatchcoreModel,
  fitsQueueName,
  modelFileName,
  modelInfo,
  modelsChangedChannel,
  progressEvents,
  queuePrefix,
  redisConnection,
  runWorkflowRequest,
  runsQueueName,
  toErrorResponse,
  workerKey,
  workerQueueName,
  type FitJobData,
  type FitJobResult,
  type RunJobData,
  type RunJobResult,
} from '@vad/server';
import { workerConfigFromEnv, type WorkerConfig } from './config.js';
import { createModelMirror } from './model-mirror.js';

export interface VadWorker {
  readonly id: string;
  readonly config: WorkerConfig;
  /** `http://host:port` of `/metrics` and `/healthz`. */
  readonly address: string;
  /** Stops taking jobs, lets the ones in flight finish (up to `shutdownMs`), then disconnects. */
  close(): Promise<void>;
}

/** How often a worker says it is alive, and how long that lasts. */
const heartbeatMs = 1000;
const heartbeatTtlMs = 3000;
/** A stream counts toward a worker's load this long after its last frame. */
const streamIdleMs = 10 * 60_000;

/**
 * A worker: takes workflow runs (shared queue, plus its own queue for the streams it holds) and
 * PatchCore fits from Redis, with the same block registry as the server (`@vad/standard` and
 * `VAD_PLUGINS`). A job whose worker dies is handed to another by BullMQ once its lock expires.
 */
export async function createVadWorker(options: { config?: Partial<WorkerConfig>; logger?: Logger } = {}): Promise<VadWorker> {
  const redisUrl = options.config?.redisUrl;
  const config: WorkerConfig = { ...workerConfigFromEnv({ ...process.env, ...(redisUrl && { VAD_REDIS_URL: redisUrl }) }), ...options.config };
  const id = config.workerId;
  const log = options.logger ?? pino({ level: config.logLevel, base: { service: 'vad-worker', worker: id } });
  const blocks = await createStandardRegistry({ plugins: config.plugins, from: config.pluginsFrom });
  if (blocks.plugins.length > 0) log.info({ plugins: blocks.plugins }, 'plugins loaded');
  await fs.mkdir(config.modelsDir, { recursive: true });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vad_worker_' });
  const runMetrics = createRunMetrics(registry);
  const workflows = createWorkflowCache({
    registry: blocks.registry,
    host: { modelsDir: config.modelsDir, cacheDir: config.cacheDir, maxSlicesPerImage: config.maxSlicesPerImage, logger: { warn: (message: string) => log.warn(message) } },
    capacity: config.workflowCacheSize,
    onError: (error) => log.error({ err: error }, 'disposing a workflow failed'),
  });
  const store = createFolderStore(config.storeDir);
  const redis = redisConnection(config.redisUrl, 'blocking');
  redis.on('error', () => {});
  const mirror = createModelMirror({ store, modelsDir: config.modelsDir, redis, log, onChanged: () => workflows.clear() });
  const stopping = new AbortController();
  const streams = new Map<string, number>();

  const workers: Worker[] = [];
  // Read-only handles on the queues, for the depth figures on /metrics.
  const queues = [runsQueueName, workerQueueName(id), fitsQueueName].map((name) => new Queue(name, { connection: redis, prefix: queuePrefix }));
  for (const queue of queues) queue.on('error', () => {});
  const queueMetrics = createQueueMetrics(registry, () => queues);
  const timed = async <T>(queue: string, work: () => Promise<T & { ok?: boolean; type?: string }>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    const outcome = result.ok === false || result.type === 'error' ? 'error' : 'ok';
    queueMetrics.jobSeconds.observe({ queue, outcome }, (performance.now() - started) / 1000);
    return result;
  };

  async function run(job: Job<RunJobData>): Promise<RunJobResult> {
    const { definition, body, streamId, deadline } = job.data;
    try {
      if (job.name === endStreamJobName && streamId) {
        streams.delete(streamId);
        const lease = workflows.acquire(definition);
        await lease.workflow.resetStream(streamId).finally(() => lease.release());
        return { ok: true, response: { outputs: [] } };
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new AbortedError({ message: 'the run waited in the queue past its request timeout (VAD_REQUEST_TIMEOUT_MS); no worker was free in time' });
      await mirror.syncIfChanged();
      if (streamId) streams.set(streamId, Date.now());
      const lease = workflows.acquire(definition);
      try {
        const signal = AbortSignal.any([AbortSignal.timeout(remaining), stopping.signal]);
        return { ok: true, response: await runWorkflowRequest({ config, metrics: runMetrics }, lease, body, { signal, streamId }) };
      } finally {
        lease.release();
      }
    } catch (error) {
      const { status, body: errorBody } = toErrorResponse(error, { modelsDir: config.modelsDir });
      return { ok: false, status, body: errorBody };
    }
  }

  async function fit(job: Job<FitJobData>): Promise<FitJobResult> {
    const { name, options: fitOptions, uploads } = job.data;
    const started = performance.now();
    const folder = path.join(config.cacheDir, 'worker-fits', `${job.id}-${job.attemptsStarted}`);
    await fs.rm(folder, { recursive: true, force: true });
    await fs.mkdir(folder, { recursive: true });
    try {
      const images = await Promise.all(uploads.map((ref, index) => store.readUpload(job.id!, index, ref)));
      const metadata = await fitPatchcoreModel(
        { name, images, options: fitOptions, folder, signal: stopping.signal, onProgress: progressEvents((event) => void job.updateProgress(event).catch(() => {})) },
        { cacheDir: config.cacheDir, maxImagePixels: config.maxImagePixels },
      );
      const info = modelInfo(name, images.length, metadata);
      const model = await store.putFile(path.join(folder, modelFileName));
      // The manifest is written last, in one rename: until then every process serves the previous model.
      await store.writeManifest({ name, created: String(info.created), metadata: info, files: { [modelFileName]: model } });
      await redis.publish(modelsChangedChannel, name);
      log.info({ model: name, job: job.id, seconds: (performance.now() - started) / 1000 }, 'fit done');
      return { type: 'done', model: name, metadata: info, seconds: Number(((performance.now() - started) / 1000).toFixed(2)) };
    } catch (error) {
      // Shutting down: hand the fit back (thrown, the job is retried) rather than report it failed.
      if (stopping.signal.aborted) throw error;
      return fitErrorEvent(error);
    } finally {
      await fs.rm(folder, { recursive: true, force: true });
    }
  }

  const common = { prefix: queuePrefix, lockDuration: config.jobLockMs, stalledInterval: config.jobLockMs, maxStalledCount: 2 };
  const connection = () => redisConnection(config.redisUrl, 'blocking');
  const processRun = (job: Job<RunJobData>) => {
    log.debug({ job: job.id, name: job.name, queue: job.queueName, stream: job.data.streamId }, 'run started');
    return timed(job.queueName, () => run(job));
  };
  workers.push(new Worker<RunJobData, RunJobResult>(runsQueueName, processRun, { ...common, connection: connection(), concurrency: config.concurrency }));
  workers.push(new Worker<RunJobData, RunJobResult>(workerQueueName(id), processRun, { ...common, connection: connection(), concurrency: config.concurrency }));
  workers.push(
    new Worker<FitJobData, FitJobResult>(fitsQueueName, (job) => {
      log.info({ job: job.id, model: job.data.name, attempt: job.attemptsStarted }, 'fit started');
      return timed(fitsQueueName, () => fit(job));
    }, { ...common, connection: connection(), concurrency: config.fitConcurrency }),
  );
  for (const worker of workers) {
    worker.on('error', (error) => log.warn({ err: error, queue: worker.name }, 'queue connection problem (BullMQ reconnects)'));
    worker.on('stalled', () => queueMetrics.retries.inc({ queue: worker.name }));
    worker.on('failed', (job, error) => {
      queueMetrics.failures.inc({ queue: worker.name, reason: 'processor' });
      log.error({ err: error, job: job?.id, queue: worker.name }, 'job failed');
    });
  }
  redis.on('ready', () => queueMetrics.redisUp.set(1));
  redis.on('close', () => queueMetrics.redisUp.set(0));

  const heartbeat = async () => {
    const now = Date.now();
    for (const [stream, seen] of streams) if (now - seen > streamIdleMs) streams.delete(stream);
    await redis.multi().hset(workerKey(id), { host: os.hostname(), pid: process.pid, streams: streams.size, concurrency: config.concurrency }).pexpire(workerKey(id), heartbeatTtlMs).exec();
  };
  const beat = setInterval(() => void heartbeat().catch(() => {}), heartbeatMs);
  await heartbeat().catch(() => {});
  await mirror.syncIfChanged().catch((error: Error) => log.warn({ err: error }, 'could not read the shared store yet'));

  const server = http.createServer((request, response) => {
    if (request.url === '/metrics') {
      registry.metrics().then((text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text), (error: Error) => response.writeHead(500).end(error.message));
    } else if (request.url === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: redis.status === 'ready' ? 'healthy' : 'redis-unreachable', worker: id, redis: describeRedis(config.redisUrl) }));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const bound = server.address();
  const address = typeof bound === 'object' && bound ? `http://${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}` : '';
  log.info({ redis: describeRedis(config.redisUrl), concurrency: config.concurrency, metrics: `${address}/metrics` }, 'vad worker taking jobs');

  return {
    id,
    config,
    address,
    async close() {
      clearInterval(beat);
      const finishing = Promise.all(workers.map((worker) => worker.close()));
      const grace = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), config.shutdownMs).unref());
      if ((await Promise.race([finishing, grace])) === 'late') {
        // Past the grace: stop the jobs; their locks lapse and BullMQ hands them to another worker.
        log.warn({ ms: config.shutdownMs }, 'jobs still running at the end of the shutdown grace; handing them back');
        stopping.abort(new Error('the worker is shutting down'));
        await Promise.all(workers.map((worker) => worker.close(true)));
      }
      await redis.del(workerKey(id)).catch(() => {});
      await Promise.all(queues.map((queue) => queue.close().catch(() => {})));
      mirror.close();
      redis.disconnect();
      await workflows.clear();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
