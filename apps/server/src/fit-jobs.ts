import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { HttpProblem } from './http-errors.js';
import { checkModelName, modelInfoFile, replaceFolder } from './model-store.js';

export interface FitProgress {
  /** e.g. `decode`, `features`, `coreset`, `calibrate`, `save`. */
  phase: string;
  done: number;
  total: number;
  message?: string;
}

export type FitEvent =
  | ({ type: 'progress'; fraction: number } & FitProgress)
  | { type: 'done'; model: string; metadata: Record<string, unknown>; seconds: number }
  | { type: 'error'; message: string; error_type: string };

export interface FitRequest {
  name: string;
  images: Uint8Array[];
  options: Record<string, unknown>;
}

/** Fits a model from normal images into `folder` (which exists and is empty) and returns its metadata. */
export type FitFunction = (request: FitRequest & { folder: string; onProgress(progress: FitProgress): void; signal: AbortSignal }) => Promise<Record<string, unknown>>;

export interface FitJob {
  readonly id: string;
  readonly model: string;
  state: 'running' | 'done' | 'failed';
  readonly events: FitEvent[];
  readonly started: Date;
}

export interface FitJobs {
  start(request: FitRequest): FitJob;
  get(id: string): FitJob;
  /** Calls `listener` with every past event, then each new one; returns the unsubscribe function. */
  subscribe(id: string, listener: (event: FitEvent) => void): () => void;
  readonly running: number;
  /** Waits for every running fit (for shutdown and tests). */
  idle(): Promise<void>;
  abortAll(): void;
}

/** What `vad-model.json` says about a model the server fitted. */
export function modelInfo(name: string, images: number, metadata: Record<string, unknown>): Record<string, unknown> {
  return { type: 'patchcore', created: new Date().toISOString(), images, ...metadata, name };
}

/** The error event for a fit that failed (`VAD_` errors keep their own type). */
export function fitErrorEvent(error: unknown): Extract<FitEvent, { type: 'error' }> {
  const name = (error as Error)?.name ?? 'Error';
  return { type: 'error', message: (error as Error)?.message ?? String(error), error_type: name.startsWith('VAD_') ? name.slice(4) : 'FitError' };
}

const phaseWeights: Record<string, [number, number]> = { decode: [0, 0.1], features: [0.1, 0.75], coreset: [0.75, 0.9], calibrate: [0.9, 0.98], save: [0.98, 1] };

/** Overall 0–1 progress from a phase's own progress. */
function overall(progress: FitProgress): number {
  const [from, to] = phaseWeights[progress.phase] ?? [0, 1];
  const within = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  return Number((from + (to - from) * within).toFixed(4));
}

/**
 * Turns a fit's own progress reports into progress events with an overall fraction, at most one
 * per 1 % (plenty for a progress bar), plus every phase's last step.
 */
export function progressEvents(emit: (event: Extract<FitEvent, { type: 'progress' }>) => void): (progress: FitProgress) => void {
  let lastFraction = -1;
  return (progress) => {
    const fraction = overall(progress);
    if (fraction - lastFraction < 0.01 && progress.done !== progress.total) return;
    lastFraction = fraction;
    emit({ type: 'progress', fraction, ...progress });
  };
}

export interface TrackedFitJob extends FitJob {
  readonly listeners: Set<(event: FitEvent) => void>;
  promise: Promise<void>;
}

/**
 * The fit jobs this server knows: each keeps its events, so a client that subscribes late (SSE)
 * still sees the whole story, and is remembered for ten minutes after it ends, so a page that
 * reconnects still sees the outcome. Shared by in-process fits and fits on workers (queue mode).
 */
export function createFitJobBook() {
  const jobs = new Map<string, TrackedFitJob>();
  const notFound = (id: string) => new HttpProblem(404, 'NotFoundError', `no fit job "${String(id).slice(0, 100)}" (finished jobs are forgotten after ten minutes)`, 'fit');
  return {
    jobs,
    add(model: string, id: string = randomUUID()): TrackedFitJob {
      const job: TrackedFitJob = { id, model, state: 'running', events: [], started: new Date(), listeners: new Set(), promise: Promise.resolve() };
      jobs.set(id, job);
      return job;
    },
    emit(job: TrackedFitJob, event: FitEvent) {
      job.events.push(event);
      if (event.type === 'done') job.state = 'done';
      if (event.type === 'error') job.state = 'failed';
      for (const listener of job.listeners) listener(event);
      if (event.type !== 'progress') setTimeout(() => jobs.delete(job.id), 10 * 60_000).unref();
    },
    get(id: string): TrackedFitJob {
      const job = jobs.get(id);
      if (!job) throw notFound(id);
      return job;
    },
    subscribe(id: string, listener: (event: FitEvent) => void): () => void {
      const job = jobs.get(id);
      if (!job) throw notFound(id);
      for (const event of job.events) listener(event);
      job.listeners.add(listener);
      return () => job.listeners.delete(listener);
    },
    async idle() {
      await Promise.all([...jobs.values()].map((job) => job.promise));
    },
  };
}

/** The checks every fit passes before it starts, wherever it runs. */
export function checkFitRequest(request: FitRequest) {
  checkModelName(request.name);
  if (request.images.length === 0) throw new HttpProblem(400, 'InvalidInputError', 'a fit needs at least one normal image (multipart field "images")', 'fit');
}

/**
 * Model fits run in the background in this process, at most `maxConcurrent` at once (more are
 * refused with 429, since a fit holds a core and a few hundred MB for a while). A model is
 * written to a temporary folder and renamed into place, so a half-written model is never served.
 */
export function createFitJobs(options: { modelsDir: string; maxConcurrent: number; fit: FitFunction; onFinished?: (job: FitJob) => void; onChange?: (running: number) => void }): FitJobs {
  const book = createFitJobBook();
  const controllers = new Map<string, AbortController>();
  let running = 0;

  async function execute(job: TrackedFitJob, request: FitRequest, controller: AbortController) {
    const started = performance.now();
    const temporary = path.join(options.modelsDir, `.${job.model}.fitting-${job.id}`);
    const final = path.join(options.modelsDir, job.model);
    try {
      await fs.mkdir(temporary, { recursive: true });
      const metadata = await options.fit({ ...request, folder: temporary, signal: controller.signal, onProgress: progressEvents((event) => book.emit(job, event)) });
      const info = modelInfo(job.model, request.images.length, metadata);
      await fs.writeFile(path.join(temporary, modelInfoFile), JSON.stringify(info, null, 2));
      await replaceFolder(temporary, final);
      book.emit(job, { type: 'progress', phase: 'save', done: 1, total: 1, fraction: 1 });
      book.emit(job, { type: 'done', model: job.model, metadata: info, seconds: Number(((performance.now() - started) / 1000).toFixed(2)) });
    } catch (error) {
      await fs.rm(temporary, { recursive: true, force: true }).catch(() => {});
      book.emit(job, fitErrorEvent(error));
    } finally {
      running--;
      controllers.delete(job.id);
      options.onChange?.(running);
      options.onFinished?.(job);
    }
  }

  return {
    get running() {
      return running;
    },
    start(request) {
      checkFitRequest(request);
      if (running >= options.maxConcurrent) {
        throw new HttpProblem(429, 'TooManyFitsError', `${running} model fit(s) are running, the most this server allows at once (VAD_MAX_CONCURRENT_FITS=${options.maxConcurrent}); retry when one finishes`, 'fit');
      }
      running++;
      options.onChange?.(running);
      const job = book.add(request.name);
      const controller = new AbortController();
      controllers.set(job.id, controller);
      job.promise = execute(job, request, controller);
      return job;
    },
    get: book.get,
    subscribe: book.subscribe,
    idle: book.idle,
    abortAll() {
      for (const controller of controllers.values()) controller.abort(new Error('the server is shutting down'));
    },
  };
}
