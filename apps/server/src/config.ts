import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultMaxPixels, pluginNamesFromEnv } from '@vad/core';

/** Everything the server can be told, resolved from environment variables by `configFromEnv`. */
export interface ServerConfig {
  port: number;
  host: string;
  /** Where fitted models live (`<name>/` folders written by the fit endpoint). */
  modelsDir: string;
  /** Saved-workflow directories, searched in order: `<dir>/<workspace>/<id>.json`. */
  workflowsDirs: string[];
  /** Caches: imported backbones, the generated demo set. */
  cacheDir: string;
  /** When set, every route but health and the static page requires it. */
  apiKey: string | undefined;
  /** Packages whose `vadBlocks()` are added to the registry. */
  plugins: string[];
  /** Directory plugin packages are resolved from (Node's lookup walks up from it). */
  pluginsFrom: string;
  allowUrlInputs: boolean;
  /** Lets URL inputs reach loopback, private and link-local addresses. */
  allowPrivateUrls: boolean;
  maxBodyBytes: number;
  maxImagePixels: number;
  maxUrlBytes: number;
  /** How long a URL input may take to answer (and between its packets). */
  urlTimeoutMs: number;
  requestTimeoutMs: number;
  /** Images in one request (a batch input's list, all image inputs together). */
  maxImagesPerRequest: number;
  /** Steps in one workflow definition. */
  maxWorkflowSteps: number;
  /** Slices an image slicer may cut from one image. */
  maxSlicesPerImage: number;
  maxConcurrentRuns: number;
  maxQueuedRuns: number;
  maxConcurrentFits: number;
  workflowCacheSize: number;
  logLevel: string;
  /** Warm the default backbone in the background after start (readiness waits for it). */
  warmBackbone: boolean;
  /** Fit the demo model in the background after start when there is none, so the first demo call works. */
  fitDemoOnStart: boolean;
  /** Queue mode: runs and fits go to workers through this Redis (BullMQ); unset, all runs in-process. */
  redisUrl: string | undefined;
  /** Queue mode: the folder every server and worker mounts, where models are kept by content hash. */
  storeDir: string;
}

/** The bundled saved workflows shipped with the app. */
export const bundledWorkflowsDir = fileURLToPath(new URL('../workflows', import.meta.url));
/** The web page's static files. */
export const publicDir = fileURLToPath(new URL('../public', import.meta.url));

function dataHome(env: NodeJS.ProcessEnv): string {
  return env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
}
function cacheHome(env: NodeJS.ProcessEnv): string {
  return env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
}

export function envInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, minimum = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) throw new RangeError(`${name}=${JSON.stringify(raw)} must be an integer ≥ ${minimum}`);
  return value;
}

export function envFlag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new RangeError(`${name}=${JSON.stringify(env[name])} must be true or false`);
}

/** Reads the configuration from environment variables (table in README.md). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const userWorkflows = (env.VAD_WORKFLOWS_DIR ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.resolve(dir));
  const cores = Math.max(1, os.availableParallelism());
  return {
    port: envInteger(env, 'PORT', 9001),
    host: env.HOST || '0.0.0.0',
    modelsDir: path.resolve(env.VAD_MODELS_DIR || path.join(dataHome(env), 'vad', 'models')),
    // The user's directories come first, so a user file overrides a bundled one of the same name.
    workflowsDirs: [...userWorkflows, bundledWorkflowsDir],
    cacheDir: path.resolve(env.VAD_CACHE_DIR || path.join(cacheHome(env), 'vad')),
    apiKey: env.VAD_API_KEY || undefined,
    plugins: pluginNamesFromEnv(env.VAD_PLUGINS),
    // pnpm runs scripts inside the package; INIT_CWD is where the user typed the command.
    pluginsFrom: path.resolve(env.VAD_PLUGINS_FROM || env.INIT_CWD || process.cwd()),
    allowUrlInputs: envFlag(env, 'VAD_ALLOW_URL_INPUTS', false),
    allowPrivateUrls: envFlag(env, 'VAD_ALLOW_PRIVATE_URLS', false),
    maxBodyBytes: envInteger(env, 'VAD_MAX_BODY_BYTES', 64 * 1024 * 1024, 1024),
    maxImagePixels: envInteger(env, 'VAD_MAX_IMAGE_PIXELS', Math.min(defaultMaxPixels, 40_000_000), 1),
    maxUrlBytes: envInteger(env, 'VAD_MAX_URL_BYTES', 32 * 1024 * 1024, 1),
    urlTimeoutMs: envInteger(env, 'VAD_URL_TIMEOUT_MS', 30_000, 1),
    requestTimeoutMs: envInteger(env, 'VAD_REQUEST_TIMEOUT_MS', 120_000, 1),
    maxImagesPerRequest: envInteger(env, 'VAD_MAX_IMAGES_PER_REQUEST', 64, 1),
    maxWorkflowSteps: envInteger(env, 'VAD_MAX_WORKFLOW_STEPS', 256, 1),
    maxSlicesPerImage: envInteger(env, 'VAD_MAX_SLICES_PER_IMAGE', 1024, 1),
    maxConcurrentRuns: envInteger(env, 'VAD_MAX_CONCURRENT_RUNS', cores * 2, 1),
    maxQueuedRuns: envInteger(env, 'VAD_MAX_QUEUED_RUNS', 512, 0),
    maxConcurrentFits: envInteger(env, 'VAD_MAX_CONCURRENT_FITS', 1, 1),
    workflowCacheSize: envInteger(env, 'VAD_WORKFLOW_CACHE_SIZE', 32, 1),
    logLevel: env.LOG_LEVEL || env.VAD_LOG_LEVEL || 'info',
    warmBackbone: envFlag(env, 'VAD_WARM_BACKBONE', true),
    fitDemoOnStart: envFlag(env, 'VAD_FIT_DEMO_ON_START', true),
    redisUrl: env.VAD_REDIS_URL || undefined,
    storeDir: path.resolve(env.VAD_STORE_DIR || path.join(dataHome(env), 'vad', 'store')),
  };
}
