#!/usr/bin/env node
// Queue-mode benchmark: the trivial and the PatchCore workflow in-process, and through Redis with
// 1 and 2 workers (each a separate process, as deployed). Prints latency (sequential requests) and
// throughput (concurrent clients). Usage: pnpm --filter @vad/worker bench [-- --seconds 10]
import { spawn } from 'node:child_process';
import { promises as fs, mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createServer } from '@vad/server';
import { ensureDemoDataset } from '@vad/patchcore';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1] || 8);
const cacheDir = process.env.VAD_CACHE_DIR ?? path.join(os.tmpdir(), 'vad-server-test-cache');
const workerMain = fileURLToPath(new URL('../dist/main.js', import.meta.url));

const freePort = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
const waitForLine = (child, pattern) => new Promise((resolve, reject) => {
  let text = '';
  const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${text.slice(-400)}`)), 60_000);
  const feed = (chunk) => { text += chunk; if (pattern.test(text)) { clearTimeout(timer); resolve(); } };
  child.stdout.on('data', feed); child.stderr.on('data', feed);
});

const trivial = { specification: { version: '1.0', inputs: [{ type: 'WorkflowParameter', name: 'x' }], steps: [], outputs: [{ type: 'JsonField', name: 'y', selector: '$inputs.x' }] }, inputs: { x: 1 } };

async function post(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${response.status}: ${text.slice(0, 300)}`);
}
async function latency(url, body, count) {
  for (let i = 0; i < 20; i++) await post(url, body);
  const times = [];
  for (let i = 0; i < count; i++) { const started = performance.now(); await post(url, body); times.push(performance.now() - started); }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(count * 0.5)], p99: times[Math.floor(count * 0.99)] };
}
async function throughput(url, body, clients) {
  let done = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async () => { while (performance.now() < until) { await post(url, body); done++; } }));
  return done / seconds;
}

const redisPort = await freePort();
const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
await waitForLine(redis, /Ready to accept connections/);
const redisUrl = `redis://127.0.0.1:${redisPort}`;
const storeDir = mkdtempSync(path.join(os.tmpdir(), 'vad-bench-store-'));
const dataset = await ensureDemoDataset(cacheDir);
const image = (await fs.readFile(dataset.test.find((i) => i.label !== 'good').path)).toString('base64');
const patchcore = JSON.stringify({ inputs: { image: { type: 'base64', value: image } } });

const rows = [];
for (const workers of [0, 1, 2]) {
  const server = await createServer({
    config: { port: 0, host: '127.0.0.1', cacheDir, modelsDir: mkdtempSync(path.join(os.tmpdir(), 'vad-bench-models-')), warmBackbone: false, fitDemoOnStart: false, ...(workers > 0 && { redisUrl, storeDir }) },
    logger: pino({ level: 'silent' }),
  });
  const base = await server.listen();
  const children = [];
  for (let i = 0; i < workers; i++) {
    const child = spawn(process.execPath, [workerMain], { env: { ...process.env, VAD_REDIS_URL: redisUrl, VAD_STORE_DIR: storeDir, VAD_CACHE_DIR: cacheDir, VAD_WORKER_PORT: '0', VAD_MODELS_DIR: mkdtempSync(path.join(os.tmpdir(), 'vad-bench-worker-')), LOG_LEVEL: 'info' } });
    children.push(child);
    await waitForLine(child, /vad worker taking jobs/);
  }
  // The demo model, fitted where this mode keeps models (in-process folder, or the shared store).
  const fit = await fetch(`${base}/vad/demo/fit`, { method: 'POST', headers: { accept: 'text/event-stream' } });
  await fit.text();
  const mode = workers === 0 ? 'in-process' : `queue, ${workers} worker${workers > 1 ? 's' : ''}`;
  const saved = `${base}/examples/workflows/patchcore-inspection`;
  const run = `${base}/workflows/run`;
  const t = await latency(run, JSON.stringify(trivial), 1000);
  const p = await latency(saved, patchcore, 30);
  rows.push({ mode, trivial_p50_ms: t.p50.toFixed(2), trivial_p99_ms: t.p99.toFixed(2), trivial_req_s: (await throughput(run, JSON.stringify(trivial), 16)).toFixed(0), patchcore_p50_ms: p.p50.toFixed(1), patchcore_req_s: (await throughput(saved, patchcore, 4)).toFixed(1) });
  for (const child of children) child.kill('SIGTERM');
  await server.close();
  console.log(rows.at(-1));
}
redis.kill('SIGKILL');
const base = Number(rows[0].trivial_p50_ms);
console.log(`\ncores: ${os.availableParallelism()}, ${seconds} s per throughput figure`);
console.table(rows);
console.log(`queue's added latency per run (trivial workflow, p50, 1 worker): ${(Number(rows[1].trivial_p50_ms) - base).toFixed(2)} ms`);
process.exit(0);
