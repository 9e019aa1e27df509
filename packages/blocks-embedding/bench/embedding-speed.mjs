// Embedding step speed, ms per frame: `pnpm --filter @vad/blocks-embedding bench` (after build).
// The Image Embedding block's run() on an already decoded 640×480 RGB frame (resize + normalise +
// ONNX Runtime on the CPU + L2 norm), for the default backbones at 224 and 299 px. Needs the shared
// photos (VAD_SHARED); the first run imports the backbones into the cache (not timed).
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VadImage, loadSharp } from '@vad/core';
import { sharedRoot } from '@vad/testing';
import { imageEmbedding } from '../dist/index.js';

const frames = Number(process.env.BENCH_FRAMES ?? 20);
const sharp = await loadSharp();
const photo = path.join(sharedRoot(), 'datasets/photos/dog.jpg');
const { data, info } = await sharp(await readFile(photo)).resize(640, 480, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
const frame = () => VadImage.fromPixels({ data: new Uint8Array(data), width: info.width, height: info.height });
const context = { stepName: 'embed', streamId: 'bench', signal: new AbortController().signal, warn() {} };

console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), loadavg ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${frames} frames each, best of 3 rounds`);
for (const [model, size] of [['inception_v3', 299], ['inception_v3', 224], ['mobilenet_v2', 224], ['mobilenet_v2', 299]]) {
  const instance = await imageEmbedding.create({ stepName: 'embed', properties: { model, size }, host: {} });
  await instance.run({ data: frame() }, context); // warm-up
  let best = Infinity;
  let bestCpu = Infinity;
  let dimension = 0;
  for (let round = 0; round < 3; round++) {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < frames; i++) dimension = (await instance.run({ data: frame() }, context)).embedding.length;
    best = Math.min(best, (performance.now() - started) / frames);
    const used = process.cpuUsage(cpuStart);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1000 / frames);
  }
  // CPU time counts every thread (ONNX Runtime uses one per core), so it can exceed wall time.
  console.log(`${model.padEnd(14)} ${String(size).padStart(3)} px  ${dimension}-d  wall ${best.toFixed(1).padStart(7)} ms/frame  cpu ${bestCpu.toFixed(1).padStart(7)} ms/frame`);
  await instance.dispose();
}
