// Benchmark: processed fps, latency and dropped-frame rate at 640×480 for the outlier workflow
// (image embedding → identify outliers) and the PatchCore workflow (PatchCore → anomaly-map overlay),
// each on a camera-like source (a video played at its own rate: latest-frame policy) and flat out
// (every frame, as fast as the workflow goes). Needs ffmpeg, ../shared (magnetic tiles) and a build.
//   node bench/stream-throughput.mjs [--seconds 20] [--fps 10] [--workflows outliers,patchcore]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fitCommand } from '@vad/patchcore';
import { createRunner, resolveConfig, silentLogger } from '../dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, fps: { type: 'string', default: '10' }, workflows: { type: 'string', default: 'outliers,patchcore' } } });
const seconds = Number(values.seconds);
const fps = Number(values.fps);
const shared = path.resolve(process.env.VAD_SHARED ?? path.join(here, '../../../../shared'));
const tiles = path.join(shared, 'datasets/magnetic_tile/MT');
if (!existsSync(tiles)) {
  console.error(`skipping: magnetic tiles not found at ${tiles} (set VAD_SHARED)`);
  process.exit(0);
}
const out = path.join(here, '..', 'bench-out');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// A 640×480 video of normal tiles with a defect every 10th frame (made here, never committed).
const good = readdirSync(path.join(tiles, 'train/good')).sort().map((name) => path.join(tiles, 'train/good', name));
const defects = ['blowhole', 'break', 'crack', 'fray', 'uneven'].flatMap((type) => readdirSync(path.join(tiles, 'test', type)).sort().slice(0, 4).map((name) => path.join(tiles, 'test', type, name)));
const frames = Math.round(seconds * fps);
const sequenceDir = path.join(out, 'sequence');
mkdirSync(sequenceDir);
for (let i = 0; i < frames; i++) symlinkSync(i % 10 === 9 ? defects[(i / 10) % defects.length | 0] : good[20 + (i % 200)], path.join(sequenceDir, `${String(i).padStart(5, '0')}.jpg`));
const video = path.join(out, 'tiles-640x480.avi');
const made = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-framerate', String(fps), '-reinit_filter', '0', '-i', path.join(sequenceDir, '%05d.jpg'), '-vf', 'scale=640:480', '-pix_fmt', 'yuvj420p', '-c:v', 'mjpeg', '-q:v', '3', video]);
if (made.status !== 0) throw new Error(made.stderr.toString());

const workflows = {
  outliers: {
    anomaly: 'is_outlier',
    steps: [
      { type: 'vad/image_embedding@v1', name: 'embedding', data: '$inputs.image', model: 'mobilenet_v2' },
      { type: 'vad/identify_outliers@v1', name: 'outliers', embedding: '$steps.embedding.embedding', warmup: 8, window_size: 32 },
    ],
    outputs: [{ type: 'JsonField', name: 'is_outlier', selector: '$steps.outliers.is_outlier' }],
  },
  patchcore: {
    anomaly: 'is_anomalous',
    steps: [
      { type: 'vad/patchcore@v1', name: 'patchcore', image: '$inputs.image', model: path.join(out, 'tiles.vad') },
      { type: 'vad/anomaly_map_visualization@v1', name: 'overlay', image: '$inputs.image', anomaly_map: '$steps.patchcore.anomaly_map' },
    ],
    outputs: [
      { type: 'JsonField', name: 'is_anomalous', selector: '$steps.patchcore.is_anomalous' },
      { type: 'JsonField', name: 'annotated', selector: '$steps.overlay.image' },
    ],
  },
};
if (values.workflows.includes('patchcore')) await fitCommand({ data: good.slice(0, 10), out: path.join(out, 'tiles.vad'), backbone: 'mobilenet_v2' });

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const rows = [];
for (const name of values.workflows.split(',')) {
  const spec = workflows[name];
  const workflowFile = path.join(out, `${name}.json`);
  writeFileSync(workflowFile, JSON.stringify({ version: '1.0', inputs: [{ type: 'WorkflowImage', name: 'image' }], steps: spec.steps, outputs: spec.outputs }));
  for (const mode of ['camera', 'flat-out']) {
    const jsonl = path.join(out, `${name}-${mode}.jsonl`);
    const config = resolveConfig({
      workflow: workflowFile,
      streams: [{ id: 'bench', source: { type: 'file', path: video, realtime: mode === 'camera' } }],
      frame: { width: 640, height: 480 },
      anomaly: { output: spec.anomaly },
      jsonl: { path: jsonl, exclude: ['annotated'] },
      http: { host: '127.0.0.1', port: 0 },
    });
    const runner = await createRunner(config, { logger: silentLogger });
    await runner.workflow.prepare(); // models load before the clock starts
    const started = performance.now();
    await runner.start();
    const [stats] = await runner.done;
    const lines = readJsonl(jsonl);
    // From the first frame read to the last result: start-up (ffmpeg, probing) is not throughput.
    const firstCaptured = Math.min(...lines.map((line) => Date.parse(line.capturedAt)));
    const lastDone = Math.max(...lines.map((line) => Date.parse(line.capturedAt) + line.latencyMs));
    const elapsed = (lastDone - firstCaptured) / 1000;
    void started;
    // What the source delivered (ffmpeg starved of CPU plays a "10 fps camera" slower than 10 fps).
    const received = readJsonl(jsonl).length + stats.dropped;
    const sourceSeconds = (Math.max(...lines.map((line) => Date.parse(line.capturedAt))) - firstCaptured) / 1000;
    const latency = lines.map((line) => line.latencyMs).sort((a, b) => a - b);
    const workflowMs = lines.map((line) => line.workflowMs).sort((a, b) => a - b);
    rows.push({
      workflow: name,
      source: mode === 'camera' ? `camera ${fps} fps` : 'file, every frame',
      frames: stats.received,
      sourceFps: (received / Math.max(sourceSeconds, 1e-3)).toFixed(2),
      processedFps: (stats.processed / elapsed).toFixed(2),
      latencyP50: percentile(latency, 0.5).toFixed(0),
      latencyP95: percentile(latency, 0.95).toFixed(0),
      workflowP50: percentile(workflowMs, 0.5).toFixed(0),
      dropped: `${((100 * stats.dropped) / stats.received).toFixed(1)}%`,
    });
    console.error(`${name} ${mode}: done`);
  }
}
console.log(`cores: ${cpus().length}; load average (1, 5, 15 min) at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('| workflow | source | frames | source fps | processed fps | latency p50 (ms) | latency p95 (ms) | workflow p50 (ms) | dropped |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${row.workflow} | ${row.source} | ${row.frames} | ${row.sourceFps} | ${row.processedFps} | ${row.latencyP50} | ${row.latencyP95} | ${row.workflowP50} | ${row.dropped} |`);

function readJsonl(file) {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}
