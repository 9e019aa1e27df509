import { promises as fs } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from './server-context.js';
import { ensureDemoDataset } from './demo-dataset.js';
import { HttpProblem } from './http-errors.js';
import { streamFitEvents } from './routes-models.js';

/** The model name the demo fits. */
export const demoModelName = 'demo';
/**
 * The demo fits on MobileNetV2: on this synthetic set it finds every defect as the default
 * InceptionV3 does, in about half the time (BENCHMARKS.md), which is what a first minute needs.
 */
export const demoFitOptions = { backbone: 'mobilenet_v2' } as const;
/** The saved workflow the demo runs. */
export const demoWorkflow = { workspace: 'examples', id: 'patchcore-inspection' } as const;

export function registerDemoRoutes(app: FastifyInstance, context: ServerContext) {
  app.get('/vad/demo', async () => {
    const dataset = await ensureDemoDataset(context.config.cacheDir);
    const url = (image: { split: string; file: string }) => `/vad/demo/images/${image.split}/${image.file}`;
    return {
      model: demoModelName,
      model_ready: await context.models.exists(demoModelName),
      workflow: demoWorkflow,
      train: dataset.train.map((image) => ({ url: url(image), label: image.label })),
      test: dataset.test.map((image) => ({ url: url(image), label: image.label })),
    };
  });

  app.get('/vad/demo/images/:split/:file', async (request, reply) => {
    const { split, file } = request.params as { split: string; file: string };
    const dataset = await ensureDemoDataset(context.config.cacheDir);
    const image = [...dataset.train, ...dataset.test].find((i) => i.split === split && i.file === file);
    if (!image) throw new HttpProblem(404, 'NotFoundError', `no demo image ${split}/${file}`, 'demo');
    return reply.type('image/png').header('cache-control', 'public, max-age=3600').send(await fs.readFile(image.path));
  });

  /** Fits the demo model from the generated normal images; SSE with `Accept: text/event-stream`. */
  app.post('/vad/demo/fit', async (request, reply) => {
    const dataset = await ensureDemoDataset(context.config.cacheDir);
    const images = await Promise.all(dataset.train.map((image) => fs.readFile(image.path)));
    const job = context.fits.start({ name: demoModelName, images, options: { ...demoFitOptions } });
    if ((request.headers.accept ?? '').includes('text/event-stream')) return streamFitEvents(context, job, request, reply);
    return reply.status(202).send({ job_id: job.id, model: demoModelName, images: images.length, events: `/vad/fits/${job.id}/events`, status: `/vad/fits/${job.id}` });
  });
}
