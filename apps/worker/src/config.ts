import os from 'node:os';
import path from 'node:path';
import { configFromEnv, envInteger, type ServerConfig } from '@vad/server';

/** A worker's settings: the server's (limits, plugins, folders) and its own. */
export interface WorkerConfig extends ServerConfig {
  redisUrl: string;
  /** Names this worker in Redis, logs and metrics. */
  workerId: string;
  /** Workflow runs at once. */
  concurrency: number;
  /** PatchCore fits at once. */
  fitConcurrency: number;
  /** A job's lock; a worker that stops renewing it (killed) has its job handed on after this long. */
  jobLockMs: number;
  /** On SIGTERM, how long the jobs in flight may take before the worker exits and they are handed on. */
  shutdownMs: number;
  /** `/metrics` and `/healthz` (0: a free port). */
  port: number;
}

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const server = configFromEnv(env);
  if (!server.redisUrl) throw new RangeError('VAD_REDIS_URL is not set: a worker takes its jobs from Redis (e.g. VAD_REDIS_URL=redis://127.0.0.1:6379)');
  const suffix = Math.random().toString(36).slice(2, 8);
  return {
    ...server,
    redisUrl: server.redisUrl,
    workerId: env.VAD_WORKER_ID || `${os.hostname()}-${process.pid}-${suffix}`.replace(/[^A-Za-z0-9_-]/g, '-'),
    concurrency: envInteger(env, 'VAD_WORKER_CONCURRENCY', Math.max(1, os.availableParallelism()), 1),
    fitConcurrency: envInteger(env, 'VAD_WORKER_FIT_CONCURRENCY', 1, 1),
    jobLockMs: envInteger(env, 'VAD_JOB_LOCK_MS', 30_000, 500),
    shutdownMs: envInteger(env, 'VAD_WORKER_SHUTDOWN_MS', 60_000, 0),
    port: envInteger(env, 'VAD_WORKER_PORT', 9101),
    // A worker's models folder is its local copy of the shared store (plus any detector files).
    modelsDir: path.resolve(env.VAD_MODELS_DIR || path.join(server.cacheDir, 'worker-models')),
  };
}
