import type { BlockRegistry, HostContext, Workflow } from '@vad/core';
import type { RunnerConfig } from './config.js';
import { messageOf, RunnerConfigError } from './errors.js';
import type { Sink } from './frame-result.js';
import { startHttpServer } from './http-server.js';
import type { RunnerHttpServer } from './http-server.js';
import { createLogger } from './logger.js';
import type { Logger } from './logger.js';
import { createRunnerMetrics } from './metrics.js';
import type { RunnerMetrics } from './metrics.js';
import { createArchiveSink } from './sinks/archive-sink.js';
import { createJsonlSink } from './sinks/jsonl-sink.js';
import { createPreviewHub } from './sinks/preview-hub.js';
import { createWebhookSink } from './sinks/webhook-sink.js';
import { startStreamWorker } from './stream-worker.js';
import type { StreamStats, StreamWorker } from './stream-worker.js';
import { createRunnerRegistry, loadWorkflow } from './workflow-loader.js';

export interface CreateRunnerOptions {
  logger?: Logger;
  /** Blocks to use instead of the runner's own set (tests, embedding the runner in another program). */
  registry?: BlockRegistry;
  /** Extra host context for blocks, merged over what the config sets. */
  host?: HostContext;
}

export interface Runner {
  readonly config: RunnerConfig;
  readonly workflow: Workflow;
  readonly metrics: RunnerMetrics;
  /** The preview/metrics server's port once started (undefined when `http` is off). */
  readonly port: number | undefined;
  /** Loads models, starts the HTTP server and opens every source; rejects with `SourceError` if one cannot be opened. */
  start(): Promise<void>;
  /** Resolves when every stream has ended (files and folders do; live streams only on `stop`). */
  readonly done: Promise<StreamStats[]>;
  /** Stops every source, processes frames already handed over, flushes every sink, frees the workflow. */
  stop(): Promise<StreamStats[]>;
  stats(): StreamStats[];
}

/** Builds a runner from a validated config: compiles the workflow and checks the output names the config uses. */
export async function createRunner(config: RunnerConfig, options: CreateRunnerOptions = {}): Promise<Runner> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const registry = options.registry ?? (await createRunnerRegistry(config.plugins));
  const host: HostContext = {
    executionProviders: config.executionProviders,
    ...(config.modelsDir && { modelsDir: config.modelsDir }),
    ...(config.cacheDir && { cacheDir: config.cacheDir }),
    logger,
    ...options.host,
  };
  const workflow = await loadWorkflow(config.workflow, registry, host);
  const imageInput = checkWorkflowAgainstConfig(workflow, config);

  const metrics = createRunnerMetrics();
  const preview = createPreviewHub(config.preview);
  const sinks: Sink[] = [preview];
  if (config.jsonl) sinks.push(createJsonlSink({ ...config.jsonl, onError: (error) => logger.error(`jsonl ${config.jsonl!.path}: ${error.message}`) }));
  if (config.webhook) {
    sinks.push(
      createWebhookSink({
        ...config.webhook,
        exclude: config.jsonl?.exclude,
        onDelivered: () => metrics.webhookDeliveries.inc({ result: 'delivered' }),
        onFailed: (_event, reason) => {
          metrics.webhookDeliveries.inc({ result: 'failed' });
          logger.warn(`webhook: ${reason}`);
        },
      }),
    );
  }
  if (config.archive) {
    const archive = createArchiveSink({ ...config.archive, exclude: config.jsonl?.exclude, onError: (error) => logger.error(`archive ${config.archive!.dir}: ${error.message}`) });
    sinks.push({
      name: archive.name,
      write(result) {
        if (result.anomalous) metrics.archivedFrames.inc({ stream: result.streamId });
        archive.write(result);
      },
      close: () => archive.close(),
    });
  }

  let workers: StreamWorker[] = [];
  let http: RunnerHttpServer | undefined;
  let stopping: Promise<StreamStats[]> | undefined;
  let resolveDone: (stats: StreamStats[]) => void = () => {};
  const done = new Promise<StreamStats[]>((resolve) => (resolveDone = resolve));
  const stats = () => workers.map((worker) => worker.stats());

  const runner: Runner = {
    config,
    workflow,
    metrics,
    get port() {
      return http?.port;
    },
    done,
    stats,
    async start() {
      await workflow.prepare();
      if (config.http) http = await startHttpServer({ ...config.http, preview, metrics, stats });
      workers = config.streams.map((stream) =>
        startStreamWorker({
          stream,
          workflow,
          imageInput,
          anomaly: config.anomaly,
          sinks,
          metrics,
          logger,
          ffmpegPath: config.ffmpegPath,
          reconnect: config.reconnect,
          openTimeoutMs: config.openTimeoutMs,
          stallTimeoutMs: config.stallTimeoutMs,
        }),
      );
      try {
        await Promise.all(workers.map((worker) => worker.opened));
      } catch (error) {
        await runner.stop();
        throw error;
      }
      logger.info(`running ${workers.length} stream(s)${http ? `; preview and metrics on port ${http.port}` : ''}`);
      void Promise.all(workers.map((worker) => worker.finished)).then(() => {
        if (!stopping) void runner.stop();
      });
    },
    stop() {
      stopping ??= (async () => {
        await Promise.all(workers.map((worker) => worker.stop()));
        for (const sink of sinks) {
          try {
            await sink.close();
          } catch (error) {
            logger.error(`sink ${sink.name} could not be flushed: ${messageOf(error)}`);
          }
        }
        await http?.close();
        await workflow.dispose();
        const final = stats();
        resolveDone(final);
        return final;
      })();
      return stopping;
    },
  };
  return runner;
}

/** The image input frames go to; and that the outputs the config names exist. */
function checkWorkflowAgainstConfig(workflow: Workflow, config: RunnerConfig): string {
  const { definition } = workflow;
  const imageInputs = definition.inputs.filter((input) => input.type === 'WorkflowImage' || input.type === 'InferenceImage').map((input) => input.name);
  const imageInput = config.imageInput ?? imageInputs[0];
  if (!imageInput || !imageInputs.includes(imageInput)) {
    throw new RunnerConfigError({
      message: imageInput
        ? `imageInput "${imageInput}" is not an image input of workflow ${config.workflow} (its image inputs: ${imageInputs.join(', ') || 'none'})`
        : `workflow ${config.workflow} has no image input (a WorkflowImage) to receive frames`,
      path: config.workflow,
      property: 'imageInput',
    });
  }
  const outputNames = definition.outputs.map((output) => output.name);
  const checkOutput = (name: string | undefined, property: string) => {
    if (name === undefined) return;
    const head = name.split('.')[0]!;
    if (!outputNames.includes(head)) {
      throw new RunnerConfigError({
        message: `${property} names output "${head}", which workflow ${config.workflow} does not have (its outputs: ${outputNames.join(', ') || 'none'})`,
        path: config.workflow,
        property,
      });
    }
  };
  checkOutput(config.anomaly.output, 'anomaly.output');
  checkOutput(config.preview.output, 'preview.output');
  checkOutput(config.archive?.imageOutput, 'archive.imageOutput');
  const parameterNames = definition.inputs.map((input) => input.name);
  for (const stream of config.streams) {
    for (const name of Object.keys(stream.parameters)) {
      if (!parameterNames.includes(name) || name === imageInput) {
        throw new RunnerConfigError({ message: `parameter "${name}" (stream "${stream.id}") is not a parameter input of workflow ${config.workflow}`, path: config.workflow, property: `parameters.${name}` });
      }
    }
  }
  return imageInput;
}
