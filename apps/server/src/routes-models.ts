import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from './server-context.js';
import type { FitEvent, FitJob } from './fit-jobs.js';
import { HttpProblem } from './http-errors.js';

/** Streams a fit job's events as Server-Sent Events until it finishes or the client leaves. */
export function streamFitEvents(context: ServerContext, job: FitJob, request: FastifyRequest, reply: FastifyReply) {
  reply.hijack();
  const response = reply.raw;
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  response.write(`: fit job ${job.id} for model ${job.model}\n\n`);
  let unsubscribe = () => {};
  const finish = () => {
    unsubscribe();
    clearInterval(heartbeat);
    if (!response.writableEnded) response.end();
  };
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
  heartbeat.unref();
  unsubscribe = context.fits.subscribe(job.id, (event: FitEvent) => {
    response.write(`event: ${event.type}\ndata: ${JSON.stringify({ job_id: job.id, ...event })}\n\n`);
    if (event.type === 'done' || event.type === 'error') setImmediate(finish);
  });
  request.raw.once('close', finish);
}

export function registerModelRoutes(app: FastifyInstance, context: ServerContext) {
  app.get('/vad/models', async () => ({ models_dir: context.models.directory, models: await context.models.list() }));
  app.get('/vad/models/:name', async (request) => context.models.get((request.params as { name: string }).name));
  app.delete('/vad/models/:name', async (request) => {
    const { name } = request.params as { name: string };
    await context.models.remove(name);
    await context.workflows.clear();
    return { deleted: name };
  });

  /**
   * Fit a PatchCore model from normal images: multipart with a `name` field, optional `options`
   * (JSON) and image files. Answers 202 with the job id and its event stream URL, or — when the
   * client sends `Accept: text/event-stream` — streams the progress in this very response.
   */
  app.post('/vad/models/fit', async (request, reply) => {
    if (!request.isMultipart()) throw new HttpProblem(415, 'UnsupportedMediaTypeError', 'send multipart/form-data with a "name" field and the normal images as files', 'fit');
    let name: string | undefined;
    let options: Record<string, unknown> = {};
    const images: Uint8Array[] = [];
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (bytes.length > 0) images.push(bytes);
      } else if (part.fieldname === 'name') {
        name = String(part.value);
      } else if (part.fieldname === 'options') {
        try {
          options = JSON.parse(String(part.value)) as Record<string, unknown>;
        } catch (cause) {
          throw new HttpProblem(400, 'MalformedPayloadError', `field "options" is not JSON: ${(cause as Error).message}`, 'fit');
        }
      }
    }
    if (!name) throw new HttpProblem(400, 'InvalidInputError', 'the fit needs a model "name" field', 'fit');
    const job = context.fits.start({ name, images, options });
    request.log.info({ job: job.id, model: name, images: images.length }, 'fit started');
    if ((request.headers.accept ?? '').includes('text/event-stream')) return streamFitEvents(context, job, request, reply);
    return reply.status(202).send({ job_id: job.id, model: name, images: images.length, events: `/vad/fits/${job.id}/events`, status: `/vad/fits/${job.id}` });
  });

  app.get('/vad/fits/:id', async (request) => {
    const job = context.fits.get((request.params as { id: string }).id);
    return { job_id: job.id, model: job.model, state: job.state, started: job.started.toISOString(), last_event: job.events.at(-1) ?? null };
  });
  app.get('/vad/fits/:id/events', async (request, reply) => streamFitEvents(context, context.fits.get((request.params as { id: string }).id), request, reply));
}
