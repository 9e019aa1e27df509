import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner, silentLogger } from '../src/index.js';
import { readJsonLines } from './helpers/frames.js';
import { makeTestPatternVideo, removeFolder, temporaryFolder } from './helpers/media.js';
import { intensityConfig, intensityRegistry } from './helpers/runner-setup.js';

let folder: string;
beforeAll(() => {
  folder = temporaryFolder();
});
afterAll(() => removeFolder(folder));

describe('a camera faster than the workflow', () => {
  it('latest-frame policy: the workflow always gets a recent frame, the rest are dropped and counted, none queue up', async () => {
    const video = path.join(folder, 'fast.avi');
    makeTestPatternVideo(video, { width: 64, height: 48, fps: 25, frames: 50 }); // 2 s at 25 fps
    const config = intensityConfig(
      folder,
      {
        // realtime: ffmpeg plays the file at its own rate, like a camera (a live source: latest-frame policy).
        streams: [{ id: 'fast', source: { type: 'file', path: video, realtime: true }, width: 32, height: 24 }],
        jsonl: { path: path.join(folder, 'fast.jsonl') },
      },
      { delayMs: 150 }, // about 6 frames per second
    );
    const runner = await createRunner(config, { registry: intensityRegistry(), logger: silentLogger });
    await runner.start();
    const [stats] = await runner.done;
    expect(stats).toMatchObject({ policy: 'latest', received: 50 });
    expect(stats!.processed + stats!.dropped).toBe(50);
    expect(stats!.dropped).toBeGreaterThan(10); // about 36 of 50 on an idle machine (2 s of frames, 150 ms per frame)
    expect(stats!.processed).toBeGreaterThan(5);

    const lines = readJsonLines(path.join(folder, 'fast.jsonl'));
    expect(lines).toHaveLength(stats!.processed);
    const sequences = lines.map((line) => line.sequence as number);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(sequences.at(-1)).toBe(49); // the newest frame is never the one dropped
    // With one frame of slack a frame waits about one workflow run at most; an unbounded queue would grow to seconds.
    const waits = lines.map((line) => line.latencyMs - line.workflowMs);
    expect(Math.max(...waits)).toBeLessThan(1000);
    expect(await runner.metrics.registry.metrics()).toContain(`vad_runner_frames_dropped_total{stream="fast"} ${stats!.dropped}`);
  });
});
