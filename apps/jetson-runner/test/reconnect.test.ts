import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../src/index.js';
import type { Logger } from '../src/index.js';
import { readJsonLines, writeFlatImage } from './helpers/frames.js';
import { freePort, makeVideoFromImages, removeFolder, serveOverHttp, temporaryFolder, waitForExit, waitForListening } from './helpers/media.js';
import { intensityConfig, intensityRegistry } from './helpers/runner-setup.js';
import { startWebhookReceiver } from '../src/sinks/test-webhook-receiver.js';

let folder: string;
beforeAll(() => {
  folder = temporaryFolder();
});
afterAll(() => removeFolder(folder));

const until = async (condition: () => boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('a live HTTP camera that drops mid-run', () => {
  it('is reconnected with backoff, and every frame and event after the reconnect arrives', async () => {
    const dark = path.join(folder, 'dark.jpg');
    const bright = path.join(folder, 'bright.jpg');
    await writeFlatImage(dark, 30);
    await writeFlatImage(bright, 230);
    const segment = (name: string, count: number, brightAt: number[]) => {
      const video = path.join(folder, name);
      makeVideoFromImages(Array.from({ length: count }, (_, i) => (brightAt.includes(i) ? bright : dark)), video, { width: 96, height: 72, fps: 10 });
      return video;
    };
    const before = segment('before.avi', 60, [3, 8]);
    const afterBright = [0, 4, 9, 10, 17, 24];
    // 10 more dark frames after the 25 checked: mpjpeg only completes a frame when the next boundary arrives.
    const after = segment('after.avi', 35, afterBright);

    const port = await freePort();
    const receiver = await startWebhookReceiver();
    const logs: string[] = [];
    const logger: Logger = { debug: () => {}, info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
    const config = intensityConfig(folder, {
      // policy block: every frame matters here, so a burst (ffmpeg catching up after the machine was
      // busy) waits in the pipe and the socket instead of being dropped by the latest-frame policy.
      streams: [{ id: 'gate', source: `http://127.0.0.1:${port}/camera.mjpg`, width: 48, height: 36, policy: 'block' }],
      jsonl: { path: path.join(folder, 'gate.jsonl') },
      webhook: { url: receiver.url, debounceMs: 0, retries: 2, retryDelayMs: 50 },
      reconnect: { initialDelayMs: 100, maxDelayMs: 400 },
      stallTimeoutMs: 3000,
    });
    const runner = await createRunner(config, { registry: intensityRegistry(), logger });

    let server = serveOverHttp(before, port);
    await waitForListening(port); // ffmpeg has bound its port (checked without taking its one connection)
    await runner.start();
    await until(() => runner.stats()[0]!.processed >= 12, 15_000, 'frames of the first connection');
    server.kill('SIGKILL'); // the camera goes away mid-stream
    await waitForExit(server);
    await until(() => runner.stats()[0]!.reconnects >= 2, 10_000, 'failed reconnect attempts');
    expect(runner.stats()[0]!.state).toBe('reconnecting');

    server = serveOverHttp(after, port); // the camera is back
    await until(() => runner.stats()[0]!.received >= 25 && readJsonLines(path.join(folder, 'gate.jsonl')).filter((line) => line.connection === 2).length >= 25, 20_000, `all 25 frames after the reconnect (${JSON.stringify(runner.stats())} ${logs.join('\n')})`);
    const stats = await runner.stop();
    server.kill('SIGKILL');

    const lines = readJsonLines(path.join(folder, 'gate.jsonl'));
    expect(stats[0]).toMatchObject({ dropped: 0, errors: 0 });
    const first = lines.filter((line) => line.connection === 1);
    const second = lines.filter((line) => line.connection === 2);
    expect(first.length).toBeGreaterThanOrEqual(12);
    expect(first.length).toBeLessThan(60);
    expect(second.slice(0, 25).map((line) => line.index)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(second.filter((line) => line.anomalous).map((line) => line.index)).toEqual(afterBright);
    expect(lines.map((line) => line.sequence)).toEqual(lines.map((_, i) => i)); // sequence numbers continue across the drop
    expect(stats[0]).toMatchObject({ dropped: 0, state: 'stopped' });

    const events = receiver.accepted();
    const reported = events.flatMap((event) => (event.frames as { connection: number; index: number }[]).filter((frame) => frame.connection === 2).map((frame) => frame.index));
    expect(reported).toEqual(afterBright);
    expect(logs.some((line) => /dropped/.test(line))).toBe(true);
    expect(logs.filter((line) => /connected \(connection 2\)/.test(line))).toHaveLength(1);
    await receiver.close();
  });
});
