#!/usr/bin/env node
import { Command } from 'commander';
import { VadError } from '@vad/core';
import { applyCliOverrides } from './cli-overrides.js';
import type { CliOverrides } from './cli-overrides.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createRunner } from './runner.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

const program = new Command()
  .name('vad-runner')
  .description('Runs a vad workflow on camera and video streams: MJPEG preview, JSON lines, webhook, saved frames, Prometheus metrics.')
  .option('-c, --config <file>', 'runner config (YAML or JSON)')
  .option('-w, --workflow <file>', 'workflow definition (Roboflow Workflows JSON)')
  .option('-s, --stream <id=source>', 'a stream (repeatable; replaces the config\'s streams): rtsp://…, http://…, /dev/video0, a folder of images or a video file', collect)
  .option('--size <WxH>', 'decoded frame size, e.g. 640x480')
  .option('--fps <n>', 'frames per second to decode')
  .option('--port <n>', 'port of the preview/metrics HTTP server (0 picks a free one)')
  .option('--host <host>', 'address the HTTP server listens on')
  .option('--no-http', 'no HTTP server (no preview, no /metrics)')
  .option('--jsonl <file>', 'append one JSON line per frame here')
  .option('--archive-dir <dir>', 'save anomalous frames here')
  .option('--webhook <url>', 'POST anomaly events here')
  .option('--anomaly-output <name>', 'workflow output that means "anomaly" (dotted paths reach into objects)')
  .option('--anomaly-threshold <n>', 'for a numeric anomaly output: anomalous at or above this')
  .option('-e, --execution-providers <list>', 'ONNX Runtime providers in order of preference: tensorrt,cuda,cpu')
  .option('--log-level <level>', 'debug, info, warn or error')
  .option('--check', 'validate the config and compile the workflow, then exit')
  .showHelpAfterError();

async function main() {
  program.parse();
  const flags = program.opts<CliOverrides & { config?: string; check?: boolean }>();
  const config = loadConfig(flags.config, (raw) => applyCliOverrides(raw, flags));
  const logger = createLogger(config.logLevel);
  const runner = await createRunner(config, { logger });
  if (flags.check) {
    await runner.workflow.dispose();
    process.stdout.write(`ok: ${config.streams.length} stream(s), workflow ${config.workflow} compiles (${runner.workflow.plan.steps.length} steps)\n`);
    return;
  }
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      logger.warn(`${signal} again: exiting without flushing`);
      process.exit(130);
    }
    logger.info(`${signal}: stopping sources and flushing sinks`);
    void runner.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await runner.start();
  const final = await runner.done;
  for (const stream of final) {
    logger.info(`stream "${stream.id}": ${stream.state}; ${stream.received} received, ${stream.processed} processed, ${stream.dropped} dropped, ${stream.anomalies} anomalous`);
  }
  process.exitCode = final.some((stream) => stream.state === 'failed') ? 1 : 0;
}

main().catch((error: unknown) => {
  if (VadError.isInstance(error)) {
    process.stderr.write(`vad-runner: ${error.name}: ${error.message}\n`);
    if (error.name === 'VAD_RunnerConfigError') process.stderr.write('(vad-runner --help lists the flags; examples/runner.yaml shows every config key)\n');
  }
  else process.stderr.write(`vad-runner: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = VadError.isInstance(error) && error.name === 'VAD_RunnerConfigError' ? 2 : 1;
});
