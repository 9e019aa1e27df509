import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one runner, in a registry of its own (two runners in one process never clash). */
export interface RunnerMetrics {
  readonly registry: Registry;
  readonly framesReceived: Counter<'stream'>;
  readonly framesProcessed: Counter<'stream'>;
  readonly framesDropped: Counter<'stream'>;
  readonly anomalies: Counter<'stream'>;
  readonly reconnects: Counter<'stream'>;
  readonly workflowErrors: Counter<'stream'>;
  readonly sourceUp: Gauge<'stream'>;
  readonly processedFps: Gauge<'stream'>;
  readonly latency: Histogram<'stream'>;
  readonly workflowDuration: Histogram<'stream'>;
  readonly webhookDeliveries: Counter<'result'>;
  readonly archivedFrames: Counter<'stream'>;
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createRunnerMetrics(): RunnerMetrics {
  const registry = new Registry();
  const labelNames = ['stream'] as const;
  const counter = (name: string, help: string) => new Counter({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    framesReceived: counter('vad_runner_frames_received_total', 'Frames decoded from the source'),
    framesProcessed: counter('vad_runner_frames_processed_total', 'Frames the workflow ran on'),
    framesDropped: counter('vad_runner_frames_dropped_total', 'Frames dropped because the workflow was slower than the source (latest-frame policy)'),
    anomalies: counter('vad_runner_anomalies_total', 'Frames the workflow flagged as anomalous'),
    reconnects: counter('vad_runner_reconnects_total', 'Reconnect attempts after a live source dropped'),
    workflowErrors: counter('vad_runner_workflow_errors_total', 'Frames on which the workflow failed'),
    archivedFrames: counter('vad_runner_archived_frames_total', 'Anomalous frames handed to the archive'),
    sourceUp: new Gauge({ name: 'vad_runner_source_up', help: '1 while the source delivers frames, 0 while it is down or reconnecting', labelNames, registers: [registry] }),
    processedFps: new Gauge({ name: 'vad_runner_processed_fps', help: 'Frames processed per second (exponential average over about 5 s)', labelNames, registers: [registry] }),
    latency: new Histogram({ name: 'vad_runner_frame_latency_seconds', help: 'From the frame leaving ffmpeg to its result (waiting + workflow)', labelNames, buckets: latencyBuckets, registers: [registry] }),
    workflowDuration: new Histogram({ name: 'vad_runner_workflow_duration_seconds', help: 'Time the workflow took per frame', labelNames, buckets: latencyBuckets, registers: [registry] }),
    webhookDeliveries: new Counter({ name: 'vad_runner_webhook_deliveries_total', help: 'Webhook events by result (delivered, failed)', labelNames: ['result'], registers: [registry] }),
  };
}

/** Frames per second as an exponential moving average with time constant `tauSeconds`. */
export function createRateMeter(tauSeconds = 5) {
  let rate = 0;
  let last: number | undefined;
  return {
    tick(now = performance.now()): number {
      if (last !== undefined) {
        const dt = Math.max((now - last) / 1000, 1e-6);
        const alpha = 1 - Math.exp(-dt / tauSeconds);
        rate += alpha * (1 / dt - rate);
      }
      last = now;
      return rate;
    },
    get rate() {
      return rate;
    },
  };
}
