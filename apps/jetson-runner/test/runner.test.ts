import { mkdirSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import path from 'node:path';
import { createBlockRegistry, defineBlock, field } from '@vad/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner, silentLogger } from '../src/index.js';
import { archivedFrames, readJsonLines, writeFlatImage } from './helpers/frames.js';
import { freePort, makeVideoFromImages, removeFolder, temporaryFolder } from './helpers/media.js';
import { intensityWorkflow } from './fixtures/intensity-plugin.mjs';
import { intensityConfig, intensityRegistry } from './helpers/runner-setup.js';
import { startWebhookReceiver } from '../src/sinks/test-webhook-receiver.js';

let folder: string;
let dark: string;
let bright: string;
const brightFrames = [4, 11, 12, 17];
const frameCount = 20;

beforeAll(async () => {
  folder = temporaryFolder();
  dark = path.join(folder, 'dark.jpg');
  bright = path.join(folder, 'bright.jpg');
  await writeFlatImage(dark, 40);
  await writeFlatImage(bright, 220);
});
afterAll(() => removeFolder(folder));

function sequenceVideo(name: string, count: number, brightAt: readonly number[], fps = 10) {
  const video = path.join(folder, name);
  makeVideoFromImages(Array.from({ length: count }, (_, i) => (brightAt.includes(i) ? bright : dark)), video, { width: 96, height: 72, fps });
  return video;
}

describe('runner on a video file', () => {
  it('processes every frame; JSON lines, saved frames, webhook and metrics agree on which frames were anomalous', async () => {
    const video = sequenceVideo('sequence.avi', frameCount, brightFrames);
    const receiver = await startWebhookReceiver({ failFirst: 1 });
    const out = path.join(folder, 'run1');
    const config = intensityConfig(folder, {
      streams: [{ id: 'line1', source: video, width: 64, height: 48 }],
      jsonl: { path: path.join(out, 'frames.jsonl') },
      archive: { dir: path.join(out, 'archive') },
      webhook: { url: receiver.url, debounceMs: 60_000, retries: 3, retryDelayMs: 50 },
      http: { host: '127.0.0.1', port: 0 },
    });
    const runner = await createRunner(config, { registry: intensityRegistry(), logger: silentLogger });
    await runner.start();
    const port = runner.port!;
    const final = await runner.done;

    expect(final).toEqual([expect.objectContaining({ id: 'line1', state: 'ended', policy: 'block', received: frameCount, processed: frameCount, dropped: 0, anomalies: brightFrames.length })]);
    const lines = readJsonLines(path.join(out, 'frames.jsonl'));
    expect(lines.map((line) => line.sequence)).toEqual(Array.from({ length: frameCount }, (_, i) => i));
    expect(lines.filter((line) => line.anomalous).map((line) => line.sequence)).toEqual(brightFrames);
    for (const line of lines) {
      expect(line).toMatchObject({ stream: 'line1', connection: 1 });
      expect(line.outputs.mean).toBeCloseTo(line.anomalous ? 220 : 40, -1);
      expect(line.latencyMs).toBeGreaterThanOrEqual(line.workflowMs - 1);
    }

    const saved = archivedFrames(path.join(out, 'archive'), 'line1');
    expect(saved.map((entry) => entry.record.sequence)).toEqual(brightFrames);
    const savedImage = await sharp(`${saved[0]!.base}.jpg`).stats();
    expect(savedImage.channels[0]!.mean).toBeCloseTo(220, -1);

    // The first POST failed (503) and was retried; then one event for frame 4 and, at shutdown, the held ones.
    const events = receiver.accepted();
    expect(receiver.requests[0]!.status).toBe(503);
    expect(events.flatMap((event) => (event.frames as { sequence: number }[]).map((frame) => frame.sequence))).toEqual(brightFrames);
    expect(events.map((event) => event.count)).toEqual([1, 3]);

    // The server closed with the runner; its metrics are still readable from the registry.
    const metrics = await runner.metrics.registry.metrics();
    expect(metrics).toContain(`vad_runner_frames_processed_total{stream="line1"} ${frameCount}`);
    expect(metrics).toContain(`vad_runner_anomalies_total{stream="line1"} ${brightFrames.length}`);
    expect(metrics).toContain('vad_runner_frames_dropped_total{stream="line1"} 0');
    expect(metrics).toContain('vad_runner_webhook_deliveries_total{result="delivered"} 2');
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
    await receiver.close();
  });

  it('goes on through every frame when its sinks fail (a JSON-lines path that is a folder, a webhook nobody answers)', async () => {
    const video = sequenceVideo('sinks-fail.avi', frameCount, brightFrames);
    const out = path.join(folder, 'run-failing-sinks');
    mkdirSync(path.join(out, 'frames.jsonl'), { recursive: true }); // a folder where the file should go
    const logs: string[] = [];
    const logger = { debug: () => {}, info: () => {}, warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
    const config = intensityConfig(folder, {
      streams: [{ id: 'line2', source: video, width: 64, height: 48 }],
      jsonl: { path: path.join(out, 'frames.jsonl') },
      webhook: { url: `http://127.0.0.1:${await freePort()}/events`, debounceMs: 0, retries: 1, retryDelayMs: 20 },
    });
    const runner = await createRunner(config, { registry: intensityRegistry(), logger });
    await runner.start();
    const final = await runner.done;
    expect(final).toEqual([expect.objectContaining({ id: 'line2', state: 'ended', received: frameCount, processed: frameCount, dropped: 0, anomalies: brightFrames.length })]);
    const metrics = await runner.metrics.registry.metrics();
    expect(metrics).toContain(`vad_runner_frames_processed_total{stream="line2"} ${frameCount}`);
    expect(metrics).toMatch(/vad_runner_webhook_deliveries_total\{result="failed"\} [1-9]/);
    expect(logs.some((line) => line.startsWith('jsonl '))).toBe(true);
    expect(logs.some((line) => line.startsWith('webhook: '))).toBe(true);
  });

  it('refuses at start an archive folder it cannot create, naming it', async () => {
    const blocked = path.join(folder, 'a-file');
    writeFileSync(blocked, 'x');
    const config = intensityConfig(folder, { streams: [{ id: 'line3', source: sequenceVideo('blocked.avi', 2, []), width: 64, height: 48 }], archive: { dir: path.join(blocked, 'archive') } });
    await expect(createRunner(config, { registry: intensityRegistry(), logger: silentLogger })).rejects.toThrow(path.join(blocked, 'archive'));
  });

  it('serves an MJPEG preview of a workflow image output, /healthz and /metrics while running', async () => {
    const video = sequenceVideo('preview.avi', 40, [], 20);
    // The preview shows the workflow's `shown` image (here a 40×30 resize), not the 64×48 frame.
    const workflow = { ...intensityWorkflow() };
    workflow.steps = [...workflow.steps, { type: 'vad/image_resize@v1', name: 'shown', image: '$inputs.image', width: 40, height: 30 }];
    workflow.outputs = [...workflow.outputs, { type: 'JsonField', name: 'shown', selector: '$steps.shown.image' }];
    const workflowFile = path.join(folder, 'preview-workflow.json');
    writeFileSync(workflowFile, JSON.stringify(workflow));
    const config = intensityConfig(folder, {
      workflow: workflowFile,
      streams: [{ id: 'cam', source: { type: 'file', path: video, realtime: true, loop: true }, width: 64, height: 48 }], // plays until stopped
      http: { host: '127.0.0.1', port: 0 },
      preview: { maxFps: 10, output: 'shown' },
    });
    const runner = await createRunner(config, { registry: intensityRegistry(), logger: silentLogger });
    await runner.start();
    const base = `http://127.0.0.1:${runner.port}`;
    const parts = await readMjpegParts(`${base}/streams/cam/preview.mjpg`, 2);
    expect(parts).toHaveLength(2);
    for (const jpeg of parts) {
      const metadata = await sharp(jpeg).metadata();
      expect([metadata.format, metadata.width, metadata.height]).toEqual(['jpeg', 40, 30]);
    }
    const health = (await (await fetch(`${base}/healthz`)).json()) as { status: string; streams: { id: string; state: string }[] };
    expect(health.status).toBe('ok');
    expect(health.streams[0]).toMatchObject({ id: 'cam', state: 'running', policy: 'latest' });
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/vad_runner_processed_fps\{stream="cam"\} \d/);
    expect((await fetch(`${base}/streams/nope/latest.jpg`)).status).toBe(404);
    await runner.stop();
  });
});

describe('host context', () => {
  it('hands the configured execution providers, models and cache folders, and its logger, to every block it creates', async () => {
    const seen: unknown[] = [];
    const probe = defineBlock({
      specificationVersion: 'v1',
      type: 'test/host_probe@v1',
      title: 'Host probe',
      description: 'Records the host context it was created with.',
      manifest: { image: field.image() },
      outputs: { flagged: { kinds: ['boolean'] } },
      create: ({ host }) => {
        seen.push(host);
        return { run: () => ({ flagged: false }) };
      },
    });
    const workflowFile = path.join(folder, 'probe.json');
    writeFileSync(workflowFile, JSON.stringify({ inputs: [{ type: 'WorkflowImage', name: 'image' }], steps: [{ type: 'test/host_probe@v1', name: 'probe', image: '$inputs.image' }], outputs: [{ type: 'JsonField', name: 'flagged', selector: '$steps.probe.flagged' }] }));
    const config = intensityConfig(folder, {
      workflow: workflowFile,
      anomaly: { output: 'flagged' },
      streams: [{ id: 'cam', source: sequenceVideo('probe.avi', 2, []) }],
      executionProviders: ['tensorrt', 'cuda', 'cpu'],
      modelsDir: 'models',
      cacheDir: 'cache',
    });
    const runner = await createRunner(config, { registry: createBlockRegistry([probe]), logger: silentLogger });
    await runner.start();
    await runner.done;
    expect(seen).toEqual([{ executionProviders: ['tensorrt', 'cuda', 'cpu'], modelsDir: path.join(folder, 'models'), cacheDir: path.join(folder, 'cache'), logger: silentLogger }]);
    expect((seen[0] as { logger: unknown }).logger).toBe(silentLogger);
  });
});

describe('runner start', () => {
  it('rejects with the source that cannot be opened, and leaves nothing running', async () => {
    const good = sequenceVideo('good.avi', 5, []);
    const config = intensityConfig(folder, {
      streams: [
        { id: 'ok', source: { type: 'file', path: good, realtime: true } },
        { id: 'gone', source: path.join(folder, 'missing.mp4') },
      ],
      http: { host: '127.0.0.1', port: 0 },
    });
    const runner = await createRunner(config, { registry: intensityRegistry(), logger: silentLogger });
    await expect(runner.start()).rejects.toThrow(/^stream "gone": video file .*missing\.mp4 could not be opened: the file does not exist$/);
    const stats = await runner.done;
    expect(stats.map((stream) => [stream.id, stream.state])).toEqual([
      ['ok', 'stopped'],
      ['gone', 'failed'],
    ]);
    await expect(runner.workflow.run({ inputs: {} })).rejects.toThrow(/disposed/);
  });
});

/** Reads `count` JPEG parts of a multipart/x-mixed-replace response. */
function readMjpegParts(url: string, count: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const request = get(url, (response) => {
      const boundary = /boundary=([^;]+)/.exec(response.headers['content-type'] ?? '')?.[1];
      if (response.headers['content-type']?.startsWith('multipart/x-mixed-replace') !== true || !boundary) return reject(new Error(`not MJPEG: ${response.headers['content-type']}`));
      let buffer = Buffer.alloc(0);
      const parts: Buffer[] = [];
      response.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const header = buffer.indexOf('\r\n\r\n');
          if (header < 0) break;
          const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, header).toString('latin1'))?.[1]);
          if (buffer.length < header + 4 + length + 2) break;
          parts.push(buffer.subarray(header + 4, header + 4 + length));
          buffer = buffer.subarray(header + 4 + length + 2);
          if (parts.length === count) {
            request.destroy();
            return resolve(parts);
          }
        }
      });
    });
    request.on('error', reject);
    request.setTimeout(10_000, () => request.destroy(new Error('no MJPEG parts within 10 s')));
  });
}
