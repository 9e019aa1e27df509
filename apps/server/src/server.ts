import { readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { pino, type Logger } from 'pino';
import { configFromEnv, publicDir, type ServerConfig } from './config.js';
import { createStandardRegistry } from '@vad/standard';
import { createMetrics } from './metrics.js';
import { createRunQueue } from './run-queue.js';
import { createWorkflowCache } from './workflow-cache.js';
import { createWorkflowStore } from './workflow-store.js';
import { createModelStore } from './model-store.js';
import { createFitJobs } from './fit-jobs.js';
import { createLocalRuns } from './execute-workflow.js';
import { createQueueMode } from './queue-mode.js';
import { toErrorResponse, HttpProblem } from './http-errors.js';
import { checkJsonDepth } from './workflow-limits.js';
import { checkApiKey } from './api-key.js';
import { registerWorkflowRoutes } from './routes-workflows.js';
import { registerModelRoutes } from './routes-models.js';
import { registerStreamRoutes } from './routes-streams.js';
import { registerDemoRoutes } from './routes-demo.js';
import { fitPatchcoreModel, warmDefaultBackbone } from './patchcore-fit.js';
import type { ServerContext, WarmupTask } from './server-context.js';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface CreateServerOptions {
  /** Defaults to `configFromEnv()`; fields given here override it. */
  config?: Partial<ServerConfig>;
  /** A pino logger; by default one at `config.logLevel` writing JSON lines to stdout. */
  logger?: Logger;
}

export interface VadServer {
  app: FastifyInstance;
  context: ServerContext;
  /** Starts listening; resolves to the address (e.g. `http://127.0.0.1:9001`). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Builds the server: the block registry (core, bundled packages, plugins), the workflow cache,
 * routes and the web page. Backbone warm-up starts after `listen()` and `/readiness` reports it.
 */
export async function createServer(options: CreateServerOptions = {}): Promise<VadServer> {
  const config: ServerConfig = { ...configFromEnv(), ...options.config };
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: 'vad-server' } });
  const blocks = await createStandardRegistry({ plugins: config.plugins, from: config.pluginsFrom });
  if (blocks.plugins.length > 0) logger.info({ plugins: blocks.plugins }, 'plugins loaded');

  const metrics = createMetrics();
  const host = { modelsDir: config.modelsDir, cacheDir: config.cacheDir, maxSlicesPerImage: config.maxSlicesPerImage, logger: { warn: (message: string) => logger.warn(message) } };
  await fs.mkdir(config.modelsDir, { recursive: true });
  const workflows = createWorkflowCache({ registry: blocks.registry, host, capacity: config.workflowCacheSize, onError: (error) => logger.error({ err: error }, 'disposing a workflow failed') });
  const warmup: WarmupTask[] = [];
  const queueMode = config.redisUrl ? createQueueMode({ ...config, redisUrl: config.redisUrl }, { workflows, registry: metrics.registry, log: logger as unknown as FastifyBaseLogger }) : undefined;
  if (queueMode) {
    warmup.push(queueMode.redis);
    // So the first request after start is not refused while the connection is still being made.
    await queueMode.firstConnection;
  }
  const context: ServerContext = {
    config,
    blocks,
    workflows,
    store: createWorkflowStore(config.workflowsDirs),
    runs: queueMode?.runs ?? createLocalRuns({
      workflows,
      environment: { config, metrics },
      onCacheSize: (size) => metrics.workflowCacheSize.set(size),
      queue: createRunQueue({
        concurrency: config.maxConcurrentRuns,
        maxWaiting: config.maxQueuedRuns,
        onChange: (active, waiting) => {
          metrics.queueDepth.set(waiting);
          metrics.runsInFlight.set(active);
        },
      }),
    }),
    metrics,
    models: queueMode?.models ?? createModelStore(config.modelsDir),
    fits: queueMode?.fits ?? createFitJobs({
      modelsDir: config.modelsDir,
      maxConcurrent: config.maxConcurrentFits,
      fit: (request) => fitPatchcoreModel(request, { cacheDir: config.cacheDir, maxImagePixels: config.maxImagePixels }),
      onChange: (running) => metrics.fitsRunning.set(running),
      // A re-fitted model must not be served from a workflow compiled before it changed.
      onFinished: () => void workflows.clear(),
    }),
    warmup,
    log: logger,
    version,
    startedAt: new Date(),
  };

  const app: FastifyInstance = Fastify({
    loggerInstance: logger as unknown as FastifyBaseLogger,
    bodyLimit: config.maxBodyBytes,
    requestTimeout: config.requestTimeoutMs + 10_000,
    // Fastify's two lines per request are replaced by one (the onResponse hook below).
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  await app.register(fastifyMultipart, { limits: { fileSize: 32 * 1024 * 1024, files: 2000, fields: 50, parts: 2100 } });
  await app.register(fastifyWebsocket, { options: { maxPayload: Math.min(config.maxBodyBytes, 32 * 1024 * 1024) } });
  await app.register(fastifyStatic, { root: publicDir, prefix: '/ui/', index: false });

  // One log line per request (pino JSON) and the latency histogram, labelled by route pattern.
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.requestDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, seconds);
    if (route !== '/healthz' && route !== '/readiness' && route !== '/metrics') {
      request.log.info({ method: request.method, route, url: request.url.split('?')[0], status: reply.statusCode, ms: Number(reply.elapsedTime.toFixed(2)) }, 'request');
    }
  });
  app.addHook('preHandler', async (request) => checkApiKey(request, config.apiKey));
  app.addHook('preValidation', async (request) => checkJsonDepth(request.body, 'the request body'));

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorResponse(error, { modelsDir: config.modelsDir, maxBodyBytes: config.maxBodyBytes });
    metrics.errors.inc({ error_type: body.error_type, status_code: String(status) });
    const clientLeft = request.raw.destroyed || reply.raw.destroyed;
    if (clientLeft) request.log.info({ error_type: body.error_type }, `the client left: ${body.message}`);
    else if (status >= 500) request.log.error({ err: error, error_type: body.error_type }, body.message);
    else request.log.info({ error_type: body.error_type, status }, body.message);
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const { status, body } = toErrorResponse(new HttpProblem(404, 'NotFoundError', `no route ${request.method} ${request.url.split('?')[0]}`, 'route'));
    void reply.status(status).send(body);
  });

  app.get('/healthz', async () => ({ status: 'healthy' }));
  app.get('/readiness', async (_request, reply) => {
    const pending = warmup.filter((task) => task.state === 'pending').map((task) => (task.error ? { name: task.name, detail: task.error } : task.name));
    const failed = warmup.filter((task) => task.state === 'failed').map((task) => ({ name: task.name, error: task.error }));
    if (pending.length > 0) return reply.status(503).send({ status: 'starting', pending, failed });
    return { status: 'ready', failed };
  });
  app.get('/info', async () => ({ name: 'vad inference server', version, uuid: `vad-${process.pid}-${context.startedAt.getTime()}`, blocks: blocks.registry.list().length, plugins: blocks.plugins }));
  app.get('/metrics', async (_request, reply) => {
    metrics.workflowCacheSize.set(workflows.size);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(await fs.readFile(`${publicDir}/index.html`)));

  registerWorkflowRoutes(app, context);
  registerModelRoutes(app, context);
  registerStreamRoutes(app, context);
  const demo = registerDemoRoutes(app, context);

  const startWarmup = () => {
    // In queue mode the workers fit and run; they warm their own backbones.
    if (!config.warmBackbone || queueMode) return;
    const task: WarmupTask = { name: 'default-backbone', state: 'pending' };
    warmup.push(task);
    // In the background: the server answers (and /readiness says "starting") while it loads.
    warmDefaultBackbone({ cacheDir: config.cacheDir }).then(
      (detail) => {
        task.state = 'ready';
        logger.info({ detail }, 'default backbone ready');
      },
      (error: Error) => {
        task.state = 'failed';
        task.error = error.message;
        logger.error({ err: error }, 'default backbone failed to load');
      },
    );
  };

  return {
    app,
    context,
    async listen() {
      const address = await app.listen({ port: config.port, host: config.host });
      startWarmup();
      if (config.fitDemoOnStart) demo.fitIfMissing().catch((error: Error) => logger.error({ err: error }, 'the demo model could not be fitted'));
      return address;
    },
    async close() {
      context.fits.abortAll();
      await app.close();
      await context.fits.idle().catch(() => {});
      await workflows.clear();
      await queueMode?.close();
    },
  };
}
