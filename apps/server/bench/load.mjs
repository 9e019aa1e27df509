// Load benchmark of the server on loopback: `pnpm --filter @vad/server bench` (after a build).
// Starts the built server in a child process (so autocannon and the server do not share an
// event loop), then measures: a trivial workflow (throughput, latency), the PatchCore demo
// workflow at 256 px (latency, and server overhead = request latency − the steps' own time),
// and a soak of 10,000 requests with the server's resident memory sampled along the way.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import sharp from 'sharp';

const here = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.BENCH_PORT ?? 9311);
const base = `http://127.0.0.1:${port}`;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
// Kept between runs so the demo model is fitted once.
const modelsDir = process.env.BENCH_MODELS_DIR ?? path.join(os.tmpdir(), 'vad-bench-models');
const cacheDir = process.env.VAD_CACHE_DIR ?? path.join(os.tmpdir(), 'vad-server-test-cache');

const trivial = {
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowParameter', name: 'tags', default_value: ['a', 'b', 'c'] }],
  steps: [{ type: 'roboflow_core/property_definition@v1', name: 'count', data: '$inputs.tags', operations: [{ type: 'SequenceLength' }] }],
  outputs: [{ type: 'JsonField', name: 'count', selector: '$steps.count.output' }],
};
const resize = {
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }],
  steps: [{ type: 'vad/image_resize@v1', name: 'resize', image: '$inputs.image', width: 32, height: 32 }],
  outputs: [{ type: 'JsonField', name: 'small', selector: '$steps.resize.image' }],
};

function startServer() {
  const child = spawn(process.execPath, [path.join(here, '..', 'dist', 'main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', VAD_MODELS_DIR: modelsDir, VAD_CACHE_DIR: cacheDir, LOG_LEVEL: 'warn', VAD_WARM_BACKBONE: 'false' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

async function waitForServer() {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not start');
}

async function residentBytes() {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^vad_process_resident_memory_bytes (\d+)/m.exec(text)?.[1]);
}

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon({ url: `${base}/workflows/run`, method: 'POST', headers: { 'content-type': 'application/json' }, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Sequential requests with profiling: latency seen by the client vs the steps' own time. */
async function overhead(body, count) {
  const latencies = [];
  const overheads = [];
  const steps = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(`${base}/workflows/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const json = await response.json();
    const latency = performance.now() - started;
    if (response.status !== 200) throw new Error(JSON.stringify(json));
    const own = json.profiler_trace.reduce((sum, step) => sum + step.total_ms, 0);
    latencies.push(latency);
    steps.push(own);
    overheads.push(latency - own);
  }
  const f = (v) => Number(v.toFixed(2));
  return { requests: count, latency_p50_ms: f(percentile(latencies, 50)), latency_p99_ms: f(percentile(latencies, 99)), steps_p50_ms: f(percentile(steps, 50)), steps_p99_ms: f(percentile(steps, 99)), overhead_p50_ms: f(percentile(overheads, 50)), overhead_p99_ms: f(percentile(overheads, 99)) };
}

const summary = (result) => ({ requests_per_second: Math.round(result.requests.average), latency_p50_ms: result.latency.p50, latency_p99_ms: result.latency.p99, errors: result.errors, non_2xx: result.non2xx, total: result.requests.total });

const child = startServer();
try {
  await waitForServer();
  console.log(`load average before: ${readFileSync('/proc/loadavg', 'utf8').trim()} (cores: ${os.availableParallelism()})`);
  const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } }).jpeg().toBuffer();
  const image = { type: 'base64', value: jpeg.toString('base64') };
  const trivialBody = JSON.stringify({ specification: trivial, inputs: { image } });

  await run({ body: trivialBody, connections: 10, duration: 2 }); // warm-up
  const trivialResult = await run({ body: trivialBody, connections: 10, duration: seconds });
  console.log('trivial workflow, 10 connections:', summary(trivialResult));
  console.log('trivial workflow, server overhead (sequential):', await overhead(JSON.stringify({ specification: trivial, inputs: { image }, enable_profiling: true }), 500));

  // PatchCore at 256 px: fit the demo model (the default preset) once, then score a demo defect image.
  let demo = await (await fetch(`${base}/vad/demo`)).json();
  if (!demo.model_ready) {
    const fit = await fetch(`${base}/vad/demo/fit`, { method: 'POST', headers: { accept: 'text/event-stream' } });
    const events = await fit.text();
    if (!events.includes('event: done')) throw new Error(`demo fit failed: ${events.slice(-500)}`);
    demo = await (await fetch(`${base}/vad/demo`)).json();
  }
  const defect = demo.test.find((item) => item.label === 'scratch');
  const png = Buffer.from(await (await fetch(`${base}${defect.url}`)).arrayBuffer());
  const patchcore = (await (await fetch(`${base}/vad/workflows/examples/patchcore-inspection`)).json()).specification;
  const patchcoreBody = JSON.stringify({ specification: patchcore, inputs: { image: { type: 'base64', value: png.toString('base64') } } });
  await run({ body: patchcoreBody, connections: 1, amount: 5 }); // load the model
  const patchcoreResult = await run({ body: patchcoreBody, connections: 2, duration: seconds });
  console.log('PatchCore 256 px (demo model), 2 connections:', summary(patchcoreResult));
  console.log('PatchCore 256 px, server overhead (sequential):', await overhead(JSON.stringify({ specification: patchcore, inputs: { image: { type: 'base64', value: png.toString('base64') } }, enable_profiling: true }), 40));

  // Soak: 10,000 requests that decode, resize and encode an image; resident memory sampled.
  const soakBody = JSON.stringify({ specification: resize, inputs: { image } });
  await run({ body: soakBody, connections: 8, amount: 500 });
  const memory = [await residentBytes()];
  let total = 0;
  for (let round = 0; round < 5; round++) {
    const result = await run({ body: soakBody, connections: 8, amount: 2000 });
    total += result.requests.total;
    if (result.non2xx || result.errors) throw new Error(`soak round ${round}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    memory.push(await residentBytes());
  }
  console.log(`soak: ${total} requests, resident memory (MB) after warm-up then every 2,000:`, memory.map((bytes) => Number((bytes / 1e6).toFixed(1))));
  console.log(`load average after: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
} finally {
  child.kill('SIGTERM');
}
