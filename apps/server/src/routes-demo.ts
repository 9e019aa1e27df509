import { promises as fs } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { demoCounts, ensureDemoDataset } from '@vad/patchcore';
import type { ServerContext } from './server-context.js';
import type { FitJob } from './fit-jobs.js';
import { HttpProblem } from './http-errors.js';
import { streamFitEvents } from './routes-models.js';

/** The model name the demo fits. */
export const demoModelName = 'demo';
/**
 * The demo fits the default preset (InceptionV3 mixed1 + mixed5, longer side 320 px). Measured on
 * this set with `vad eval` (BENCHMARKS.md): image / pixel AUROC 1.0 / 0.992, and at its own
 * threshold it flags all six defective plates and no good one.
 */
export const demoFitOptions = {} as const;
/** The saved workflow the demo runs. */
export const demoWorkflow = { workspace: 'examples', id: 'patchcore-inspection' } as const;

export interface DemoRoutes {
  /** Starts fitting the demo model, or returns the fit already running. */
  fit(): Promise<FitJob>;
  /** After start: fits the demo model in the background when there is none yet. */
  fitIfMissing(): Promise<void>;
}

export function registerDemoRoutes(app: FastifyInstance, context: ServerContext): DemoRoutes {
  // The demo's latest fit, from the moment it is asked for (its images are read before it starts),
  // so two quick clicks, or a click during the fit made on start, share one fit.
  let latest: Promise<FitJob> | undefined;
  let latestJob: FitJob | undefined;
  const fit = (): Promise<FitJob> => {
    if (latest && (!latestJob || latestJob.state === 'running')) return latest;
    latestJob = undefined;
    const starting = ensureDemoDataset(context.config.cacheDir).then(async (dataset) => {
      const images = await Promise.all(dataset.train.map((image) => fs.readFile(image.path)));
      latestJob = context.fits.start({ name: demoModelName, images, options: { ...demoFitOptions } });
      return latestJob;
    });
    starting.catch(() => {
      if (latest === starting) latest = undefined;
    });
    latest = starting;
    return starting;
  };
  const running = async () => {
    const job = await latest?.catch(() => undefined);
    return job?.state === 'running' ? job : undefined;
  };

  app.get('/vad/demo', async () => {
    const dataset = await ensureDemoDataset(context.config.cacheDir);
    const url = (image: { file: string }) => `/vad/demo/images/${image.file}`;
    const job = await running();
    const fitting = job ? { job_id: job.id, events: `/vad/fits/${job.id}/events` } : null;
    return {
      model: demoModelName,
      model_ready: await context.models.exists(demoModelName),
      fitting,
      workflow: demoWorkflow,
      train: dataset.train.map((image) => ({ url: url(image), label: image.label })),
      test: dataset.test.map((image) => ({ url: url(image), label: image.label })),
    };
  });

  app.get('/vad/demo/images/:split/:label/:file', async (request, reply) => {
    const { split, label, file } = request.params as { split: string; label: string; file: string };
    const dataset = await ensureDemoDataset(context.config.cacheDir);
    const image = [...dataset.train, ...dataset.test].find((i) => i.file === `${split}/${label}/${file}`);
    if (!image) throw new HttpProblem(404, 'NotFoundError', `no demo image ${split}/${label}/${file}`, 'demo');
    return reply.type('image/png').header('cache-control', 'public, max-age=3600').send(await fs.readFile(image.path));
  });

  /** Fits the demo model from the generated normal images (or follows the fit already running); SSE with `Accept: text/event-stream`. */
  app.post('/vad/demo/fit', async (request, reply) => {
    const job = await fit();
    if ((request.headers.accept ?? '').includes('text/event-stream')) return streamFitEvents(context, job, request, reply);
    return reply.status(202).send({ job_id: job.id, model: demoModelName, images: demoCounts.train, events: `/vad/fits/${job.id}/events`, status: `/vad/fits/${job.id}` });
  });

  return {
    fit,
    async fitIfMissing() {
      if (await context.models.exists(demoModelName)) return;
      const job = await fit();
      context.log.info({ job_id: job.id }, 'fitting the demo model in the background (VAD_FIT_DEMO_ON_START=false turns this off)');
    },
  };
}
