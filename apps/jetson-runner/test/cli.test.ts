import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intensityWorkflow } from './fixtures/intensity-plugin.mjs';
import { archivedFrames, readJsonLines, writeFlatImage } from './helpers/frames.js';
import { makeVideoFromImages, removeFolder, temporaryFolder } from './helpers/media.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '..', 'dist', 'cli.js');
const plugin = path.join(here, 'fixtures', 'intensity-plugin.mjs');

let folder: string;
beforeAll(() => {
  folder = temporaryFolder();
});
afterAll(() => removeFolder(folder));

function runCli(args: string[], options: { onStderr?: (text: string, child: ReturnType<typeof spawn>) => void } = {}) {
  const child = spawn(process.execPath, [cli, ...args], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    options.onStderr?.(stderr, child);
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('vad-runner CLI', () => {
  it('--check: a bad config exits with 2 and names the file and every bad key', async () => {
    const config = path.join(folder, 'bad.yaml');
    writeFileSync(config, 'workflow: w.json\nstreams:\n  - id: cam 1\n    source: rtsp://cam/1\nanomaly: { output: 3 }\n');
    const { code, stderr } = await runCli(['--config', config, '--check']);
    expect(code).toBe(2);
    expect(stderr).toContain(`VAD_RunnerConfigError: ${config} is not a valid runner config`);
    expect(stderr).toMatch(/streams\[0\]\.id: stream ids use letters/);
    expect(stderr).toMatch(/anomaly\.output: .*expected string/);
  });

  it('--check: a config whose anomaly output is not in the workflow is refused before any camera opens', async () => {
    writeFileSync(path.join(folder, 'intensity.json'), JSON.stringify(intensityWorkflow()));
    const config = path.join(folder, 'wrong-output.json');
    writeFileSync(config, JSON.stringify({ workflow: 'intensity.json', plugins: [plugin], streams: [{ id: 'cam', source: 'rtsp://cam/1' }], anomaly: { output: 'is_outlier' } }));
    const { code, stderr } = await runCli(['--config', config, '--check']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/anomaly\.output names output "is_outlier", which workflow .*intensity\.json does not have \(its outputs: mean, bright\)/);
    const ok = await runCli(['--config', config, '--check', '--anomaly-output', 'bright']);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.stdout).toMatch(/^ok: 1 stream\(s\), workflow .* compiles \(1 steps\)/);
  });

  it('SIGTERM mid-run: exits 0 after flushing; JSON lines and saved frames cover exactly the frames processed', async () => {
    const dark = path.join(folder, 'dark.jpg');
    const bright = path.join(folder, 'bright.jpg');
    await writeFlatImage(dark, 35);
    await writeFlatImage(bright, 225);
    const video = path.join(folder, 'line.avi');
    makeVideoFromImages(Array.from({ length: 100 }, (_, i) => (i % 7 === 3 ? bright : dark)), video, { width: 96, height: 72, fps: 20 });
    writeFileSync(path.join(folder, 'intensity.json'), JSON.stringify(intensityWorkflow()));
    const config = path.join(folder, 'runner.yaml');
    writeFileSync(
      config,
      [
        'workflow: intensity.json',
        `plugins: [${JSON.stringify(plugin)}]`,
        'frame: { width: 48, height: 36 }',
        'streams:',
        `  - { id: line, source: { type: file, path: line.avi, realtime: true }, queueSize: 4 }`,
        'anomaly: { output: bright }',
        'jsonl: { path: out/frames.jsonl }',
        'archive: { dir: out/archive }',
        'http: { host: 127.0.0.1, port: 0 }',
      ].join('\n'),
    );
    let signalled = false;
    const { code, stderr } = await runCli(['--config', config, '--log-level', 'info'], {
      onStderr: (text, child) => {
        if (!signalled && /running 1 stream/.test(text)) {
          signalled = true;
          setTimeout(() => child.kill('SIGTERM'), 1500); // about 30 of the 100 frames in
        }
      },
    });
    expect(code).toBe(0);
    expect(stderr).toMatch(/SIGTERM: stopping sources and flushing sinks/);
    const summary = /stream "line": stopped; (\d+) received, (\d+) processed, (\d+) dropped, (\d+) anomalous/.exec(stderr);
    expect(summary).not.toBeNull();
    const [received, processed, dropped, anomalous] = summary!.slice(1).map(Number) as [number, number, number, number];
    expect(received).toBeLessThan(100);
    expect(processed + dropped).toBe(received);

    const lines = readJsonLines(path.join(folder, 'out', 'frames.jsonl'));
    expect(lines).toHaveLength(processed);
    const flagged = lines.filter((line) => line.anomalous).map((line) => line.sequence as number);
    expect(flagged).toHaveLength(anomalous);
    expect(flagged.every((sequence) => sequence % 7 === 3)).toBe(true);
    expect(archivedFrames(path.join(folder, 'out', 'archive'), 'line').map((entry) => entry.record.sequence)).toEqual(flagged);
  });
});
