import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { HttpProblem } from './http-errors.js';
import { checkModelName, modelInfoFile } from './model-store.js';

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

const phaseWeights: Record<string, [number, number]> = { decode: [0, 0.1], features: [0.1, 0.75], coreset: [0.75, 0.9], calibrate: [0.9, 0.98], save: [0.98, 1] };

/** Overall 0–1 progress from a phase's own progress. */
function overall(progress: FitProgress): number {
  const [from, to] = phaseWeights[progress.phase] ?? [0, 1];
  const within = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  return Number((from + (to - from) * within).toFixed(4));
}

/**
 * Model fits run in the background, at most `maxConcurrent` at once (more are refused with 429,
 * since a fit holds a core and a few hundred MB for a while). Each job keeps its events so a
 * client that subscribes late (SSE) still sees the whole story. A model is written to a
 * temporary folder and renamed into place, so a half-written model is never served.
 */
export function createFitJobs(options: { modelsDir: string; maxConcurrent: number; fit: FitFunction; onFinished?: (job: FitJob) => void; onChange?: (running: number) => void }): FitJobs {
  const jobs = new Map<string, FitJob & { listeners: Set<(event: FitEvent) => void>; promise: Promise<void>; controller: AbortController }>();
  let running = 0;

  const emit = (job: FitJob & { listeners: Set<(event: FitEvent) => void> }, event: FitEvent) => {
    job.events.push(event);
    for (const listener of job.listeners) listener(event);
  };

  async function execute(job: FitJob & { listeners: Set<(event: FitEvent) => void>; controller: AbortController }, request: FitRequest) {
    const started = performance.now();
    const temporary = path.join(options.modelsDir, `.${job.model}.fitting-${job.id}`);
    const final = path.join(options.modelsDir, job.model);
    try {
      await fs.mkdir(temporary, { recursive: true });
      let lastFraction = -1;
      const metadata = await options.fit({
        ...request,
        folder: temporary,
        signal: job.controller.signal,
        onProgress: (progress) => {
          const fraction = overall(progress);
          // Cap the event rate: a 1% step is plenty for a progress bar.
          if (fraction - lastFraction < 0.01 && progress.done !== progress.total) return;
          lastFraction = fraction;
          emit(job, { type: 'progress', fraction, ...progress });
        },
      });
      const info = { type: 'patchcore', created: new Date().toISOString(), images: request.images.length, ...metadata, name: job.model };
      await fs.writeFile(path.join(temporary, modelInfoFile), JSON.stringify(info, null, 2));
      const previous = `${final}.replaced-${job.id}`;
      const hadPrevious = await fs.rename(final, previous).then(() => true, () => false);
      await fs.rename(temporary, final);
      if (hadPrevious) await fs.rm(previous, { recursive: true, force: true });
      job.state = 'done';
      emit(job, { type: 'progress', phase: 'save', done: 1, total: 1, fraction: 1 });
      emit(job, { type: 'done', model: job.model, metadata: info, seconds: Number(((performance.now() - started) / 1000).toFixed(2)) });
    } catch (error) {
      job.state = 'failed';
      await fs.rm(temporary, { recursive: true, force: true }).catch(() => {});
      const name = (error as Error).name ?? 'Error';
      emit(job, { type: 'error', message: (error as Error).message ?? String(error), error_type: name.startsWith('VAD_') ? name.slice(4) : 'FitError' });
    } finally {
      running--;
      options.onChange?.(running);
      options.onFinished?.(job);
      // Finished jobs are kept for ten minutes, so a page that reconnects still sees the outcome.
      setTimeout(() => jobs.delete(job.id), 10 * 60_000).unref();
    }
  }

  return {
    get running() {
      return running;
    },
    start(request) {
      checkModelName(request.name);
      if (request.images.length === 0) throw new HttpProblem(400, 'InvalidInputError', 'a fit needs at least one normal image (multipart field "images")', 'fit');
      if (running >= options.maxConcurrent) {
        throw new HttpProblem(429, 'TooManyFitsError', `${running} model fit(s) are running, the most this server allows at once (VAD_MAX_CONCURRENT_FITS=${options.maxConcurrent}); retry when one finishes`, 'fit');
      }
      running++;
      options.onChange?.(running);
      const job = { id: randomUUID(), model: request.name, state: 'running' as FitJob['state'], events: [] as FitEvent[], started: new Date(), listeners: new Set<(event: FitEvent) => void>(), controller: new AbortController(), promise: Promise.resolve() };
      jobs.set(job.id, job);
      job.promise = execute(job, request);
      return job;
    },
    get(id) {
      const job = jobs.get(id);
      if (!job) throw new HttpProblem(404, 'NotFoundError', `no fit job "${String(id).slice(0, 100)}" (finished jobs are forgotten after ten minutes)`, 'fit');
      return job;
    },
    subscribe(id, listener) {
      const job = jobs.get(id);
      if (!job) throw new HttpProblem(404, 'NotFoundError', `no fit job "${String(id).slice(0, 100)}"`, 'fit');
      for (const event of job.events) listener(event);
      job.listeners.add(listener);
      return () => job.listeners.delete(listener);
    },
    async idle() {
      await Promise.all([...jobs.values()].map((job) => job.promise));
    },
    abortAll() {
      for (const job of jobs.values()) job.controller.abort(new Error('the server is shutting down'));
    },
  };
}
