import { VadImage } from '@vad/core';
import type { Workflow } from '@vad/core';
import type { AnomalyRule } from './anomaly.js';
import { isAnomalous } from './anomaly.js';
import type { StreamConfig } from './config.js';
import { messageOf } from './errors.js';
import { createFrameSlot } from './frame-slot.js';
import type { FramePolicy } from './frame-slot.js';
import type { FrameResult, Sink } from './frame-result.js';
import type { Logger } from './logger.js';
import type { RunnerMetrics } from './metrics.js';
import { createRateMeter } from './metrics.js';
import { createFfmpegSource } from './sources/ffmpeg-source.js';
import type { Frame, ReconnectOptions } from './sources/ffmpeg-source.js';

export type StreamState = 'starting' | 'running' | 'reconnecting' | 'ended' | 'failed' | 'stopped';

export interface StreamStats {
  id: string;
  source: string;
  state: StreamState;
  policy: FramePolicy;
  received: number;
  processed: number;
  dropped: number;
  anomalies: number;
  errors: number;
  reconnects: number;
  processedFps: number;
  error?: string;
}

export interface StreamWorkerOptions {
  stream: StreamConfig;
  workflow: Workflow;
  imageInput: string;
  anomaly: AnomalyRule;
  sinks: readonly Sink[];
  metrics: RunnerMetrics;
  logger: Logger;
  ffmpegPath: string;
  reconnect: ReconnectOptions;
  openTimeoutMs: number;
  stallTimeoutMs: number;
}

export interface StreamWorker {
  readonly id: string;
  /** Resolves on the first frame; rejects with `SourceError` when the source cannot be opened. */
  readonly opened: Promise<void>;
  /** Resolves when the source ended (or failed for good) and every frame taken was processed. */
  readonly finished: Promise<void>;
  stats(): StreamStats;
  /** Stops reading, processes the frame already handed over, and resolves when the loop is idle. */
  stop(): Promise<void>;
}

/** One stream: an ffmpeg source, a frame slot (latest-frame or blocking) and the loop that runs the workflow. */
export function startStreamWorker(options: StreamWorkerOptions): StreamWorker {
  const { stream, workflow, metrics, logger } = options;
  const labels = { stream: stream.id };
  const controller = new AbortController();
  // Every series exists from the start (at 0), so rates and alerts work before the first event.
  for (const counter of [metrics.framesReceived, metrics.framesProcessed, metrics.framesDropped, metrics.anomalies, metrics.reconnects, metrics.workflowErrors, metrics.archivedFrames]) counter.inc(labels, 0);
  metrics.sourceUp.set(labels, 0);
  const source = createFfmpegSource({
    streamId: stream.id,
    source: stream.source,
    decode: { width: stream.width, height: stream.height, fps: stream.fps },
    reconnect: options.reconnect,
    openTimeoutMs: options.openTimeoutMs,
    stallTimeoutMs: options.stallTimeoutMs,
    ffmpegPath: options.ffmpegPath,
    onEvent: (event) => {
      if (event.type === 'connected') {
        state = 'running';
        metrics.sourceUp.set(labels, 1);
        logger.info(`stream "${stream.id}": ${source.description} connected (connection ${event.connection})`);
      } else if (event.type === 'dropped') {
        metrics.sourceUp.set(labels, 0);
        logger.warn(`stream "${stream.id}": ${source.description} dropped: ${event.reason}`);
      } else if (event.type === 'reconnecting') {
        state = 'reconnecting';
        reconnects++;
        metrics.reconnects.inc(labels);
        logger.info(`stream "${stream.id}": reconnecting in ${event.delayMs} ms (attempt ${event.attempt})`);
      } else if (event.type === 'partial-frame') {
        logger.debug(`stream "${stream.id}": ${event.bytes} bytes of a cut-off frame discarded`);
      }
    },
  });
  const policy: FramePolicy = stream.policy ?? (source.live ? 'latest' : 'block');
  const slot = createFrameSlot<Frame>(policy, stream.queueSize, () => metrics.framesDropped.inc(labels));
  const rate = createRateMeter();
  let state: StreamState = 'starting';
  let received = 0;
  let processed = 0;
  let anomalies = 0;
  let errors = 0;
  let reconnects = 0;
  let failure: string | undefined;

  let markOpened: () => void = () => {};
  let failOpen: (error: unknown) => void = () => {};
  const opened = new Promise<void>((resolve, reject) => {
    markOpened = resolve;
    failOpen = reject;
  });
  opened.catch(() => {}); // the runner observes it; this keeps an unobserved rejection quiet

  const pump = (async () => {
    try {
      for await (const frame of source.frames(controller.signal)) {
        if (received === 0) markOpened();
        received++;
        metrics.framesReceived.inc(labels);
        await slot.push(frame);
      }
      if ((state as StreamState) !== 'stopped') state = 'ended';
      markOpened(); // a source that ended cleanly without frames (an empty file) is not an error
    } catch (error) {
      failure = messageOf(error);
      state = 'failed';
      metrics.sourceUp.set(labels, 0);
      if (received === 0) failOpen(error);
      else logger.error(`stream "${stream.id}": ${failure}`);
    } finally {
      slot.close();
    }
  })();

  const loop = (async () => {
    for (let frame = await slot.take(); frame !== undefined; frame = await slot.take()) await processFrame(frame);
  })();

  async function processFrame(frame: Frame) {
    // Roboflow's InferencePipeline numbers frames from 1 and stamps them when read; a dropped
    // frame (latest-frame policy) still takes its number, so the numbers say where in the video it is.
    const videoMetadata = {
      video_identifier: stream.id,
      frame_number: frame.sequence + 1,
      frame_timestamp: new Date(frame.capturedAt).toISOString(),
      fps: stream.fps ?? null,
      measured_fps: null,
      comes_from_video_file: !source.live,
    };
    const image = VadImage.fromPixels({ data: frame.data, width: frame.width, height: frame.height }, { id: `${stream.id}-${frame.sequence}`, videoMetadata });
    const started = performance.now();
    let outputs: Record<string, unknown> = {};
    let warnings: string[] = [];
    let error: string | undefined;
    try {
      const result = await workflow.run({ inputs: { ...stream.parameters, [options.imageInput]: image }, streamId: stream.id });
      outputs = result.outputs[0] ?? {};
      warnings = result.warnings;
    } catch (cause) {
      error = messageOf(cause);
      errors++;
      metrics.workflowErrors.inc(labels);
      logger.warn(`stream "${stream.id}" frame ${frame.sequence}: ${error}`);
    }
    const workflowMs = performance.now() - started;
    const processedAt = Date.now();
    const anomalous = error === undefined && isAnomalous(outputs, options.anomaly);
    const result: FrameResult = {
      streamId: stream.id,
      sequence: frame.sequence,
      connection: frame.connection,
      index: frame.index,
      capturedAt: frame.capturedAt,
      processedAt,
      latencyMs: Math.max(0, processedAt - frame.capturedAt),
      workflowMs,
      anomalous,
      outputs,
      warnings,
      frame: image,
      ...(error !== undefined && { error }),
    };
    processed++;
    metrics.framesProcessed.inc(labels);
    metrics.processedFps.set(labels, rate.tick());
    metrics.latency.observe(labels, result.latencyMs / 1000);
    metrics.workflowDuration.observe(labels, workflowMs / 1000);
    if (anomalous) {
      anomalies++;
      metrics.anomalies.inc(labels);
    }
    for (const sink of options.sinks) {
      try {
        sink.write(result);
      } catch (sinkError) {
        logger.warn(`stream "${stream.id}": sink ${sink.name} failed: ${messageOf(sinkError)}`);
      }
    }
  }

  const finished = Promise.all([pump, loop]).then(() => undefined);

  return {
    id: stream.id,
    opened,
    finished,
    stats: () => ({
      id: stream.id,
      source: source.description,
      state,
      policy,
      received,
      processed,
      dropped: slot.dropped,
      anomalies,
      errors,
      reconnects,
      processedFps: rate.rate,
      ...(failure !== undefined && { error: failure }),
    }),
    async stop() {
      if (state !== 'ended' && state !== 'failed') state = 'stopped';
      controller.abort();
      await finished;
    },
  };
}

