import { mkdtempSync, readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoDataset } from '@vad/patchcore';
import { createFolderStore, type ModelManifest } from '@vad/server';
import { postJson, startTestServer, testCacheDir, type TestServer } from '../../server/test/start-server.js';
import { writeTestPlugin } from '../../server/test/plugin-package.js';
import { redisAvailable, startRedis, startWorker, type WorkerProcess } from './processes.js';

const enabled = redisAvailable();

const echo = {
  version: '1.0',
  inputs: [{ type: 'WorkflowParameter', name: 'x' }],
  steps: [],
  outputs: [{ type: 'JsonField', name: 'y', selector: '$inputs.x' }],
};
const sleeper = (ms: number) => ({
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }],
  steps: [{ type: 'test/sleep@v1', name: 'wait', image: '$inputs.image', ms }],
  outputs: [{ type: 'JsonField', name: 'slept', selector: '$steps.wait.slept' }],
});
// A 1 × 1 PNG.
const pixel = { type: 'base64', value: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==' };

async function metric(base: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return text.split('\n').filter((line) => pattern.test(line)).reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

async function eventually<T>(attempt: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(!enabled)('queue mode: servers and workers over a real Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let server: TestServer;
  let storeDir: string;
  let env: Record<string, string>;
  const workers: WorkerProcess[] = [];
  const plugin = writeTestPlugin();

  const fitImages = async () => {
    const dataset = await ensureDemoDataset(testCacheDir);
    return Promise.all(dataset.train.map((image) => fs.readFile(image.path)));
  };
  const startFit = async (name: string, options: Record<string, unknown>, copies = 1) => {
    const form = new FormData();
    form.set('name', name);
    form.set('options', JSON.stringify(options));
    const images = await fitImages();
    for (const [index, bytes] of Array.from({ length: copies }, () => images).flat().entries()) form.append('images', new Blob([bytes], { type: 'image/png' }), `${index}.png`);
    const response = await fetch(`${server.base}/vad/models/fit`, { method: 'POST', body: form });
    expect(response.status).toBe(202);
    return ((await response.json()) as { job_id: string }).job_id;
  };
  /** Resolves at the first progress event of `phase`, read from the fit's SSE stream as the page reads it. */
  const reachedPhase = async (id: string, phase: string) => {
    const response = await fetch(`${server.base}/vad/fits/${id}/events`);
    const reader = response.body!.getReader();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the fit ended before its ${phase} phase: ${text.slice(-500)}`);
      text += new TextDecoder().decode(value);
      if (text.includes(`"phase":"${phase}"`)) break;
    }
    await reader.cancel();
  };
  const fitState = async (id: string) => (await (await fetch(`${server.base}/vad/fits/${id}`)).json()) as { state: string; last_event: Record<string, unknown> | null };
  const manifestText = (name: string) => readFileSync(path.join(storeDir, 'models', `${name}.json`), 'utf8');

  beforeAll(async () => {
    redis = await startRedis();
    storeDir = mkdtempSync(path.join(os.tmpdir(), 'vad-store-'));
    // A short lock so that a killed worker's job is handed on quickly, yet well above the longest
    // synchronous stretch of a default fit (ONNX session creation: up to ~1.7 s on 2 idle cores), or a
    // busy CI machine sees the living worker's lock lapse and the job fail as stalled.
    env = { VAD_REDIS_URL: redis.url, VAD_STORE_DIR: storeDir, VAD_CACHE_DIR: testCacheDir, VAD_PLUGINS: plugin.packageName, VAD_PLUGINS_FROM: plugin.root, VAD_JOB_LOCK_MS: '6000', VAD_WORKER_CONCURRENCY: '1' };
    server = await startTestServer({ redisUrl: redis.url, storeDir, plugins: [plugin.packageName], pluginsFrom: plugin.root });
    workers.push(await startWorker(env), await startWorker(env));
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill('SIGKILL')));
    await server?.close();
    await redis?.stop();
  });

  it('answers runs as the in-process server does, errors included', async () => {
    const ok = await postJson(`${server.base}/workflows/run`, { specification: echo, inputs: { x: 42 } });
    expect(ok).toEqual({ status: 200, body: { outputs: [{ y: 42 }] } });

    const local = await startTestServer({ plugins: [plugin.packageName], pluginsFrom: plugin.root });
    try {
      const badImage = { specification: sleeper(0), inputs: { image: { type: 'base64', value: 'bm90IGFuIGltYWdl' } } };
      const queued = await postJson(`${server.base}/workflows/run`, badImage);
      const inProcess = await postJson(`${local.base}/workflows/run`, badImage);
      expect(queued.status).toBe(400);
      expect(queued).toEqual(inProcess);
      // A bad definition is refused by the server itself, as in-process.
      const badDefinition = { specification: { ...echo, outputs: [{ type: 'JsonField', name: 'y', selector: '$steps.nope.x' }] }, inputs: { x: 1 } };
      expect(await postJson(`${server.base}/workflows/run`, badDefinition)).toEqual(await postJson(`${local.base}/workflows/run`, badDefinition));
    } finally {
      await local.close();
    }
    const saved = await postJson(`${server.base}/examples/workflows/embedding-outliers`, { inputs: {} });
    expect(saved.status).toBe(400); // the saved workflow needs its image: named as in-process
    expect(saved.body.message).toMatch(/image/);
  });

  it('answers a run that passes the request timeout with 504, as in-process, and keeps serving', async () => {
    const impatient = await startTestServer({ redisUrl: redis.url, storeDir, plugins: [plugin.packageName], pluginsFrom: plugin.root, requestTimeoutMs: 300 });
    try {
      const late = await postJson(`${impatient.base}/workflows/run`, { specification: sleeper(2000), inputs: { image: pixel } });
      expect(late.status).toBe(504);
      expect(late.body.error_type).toBe('AbortedError');
      // The worker gives up on it at the same deadline, and the next run is answered.
      expect(await postJson(`${impatient.base}/workflows/run`, { specification: echo, inputs: { x: 3 } })).toEqual({ status: 200, body: { outputs: [{ y: 3 }] } });
    } finally {
      await impatient.close();
    }
  });

  it('hands a job whose worker is killed mid-run to another worker, and answers it once', async () => {
    const retriesBefore = await metric(server.base, /^vad_queue_retries_total\{queue="runs"\}/);
    const earlier = new Set(workers.flatMap((worker) => worker.logs().filter((log) => log.msg === 'run started').map((log) => log.job)));
    const answer = postJson(`${server.base}/workflows/run`, { specification: sleeper(2500), inputs: { image: pixel } });
    const runStarted = (log: Record<string, unknown>) => log.msg === 'run started' && !earlier.has(log.job);
    const started = await Promise.race(workers.map((worker) => worker.waitForLog(runStarted, 20_000, 'the run to start').then((log) => ({ worker, log }))));
    expect(await started.worker.kill('SIGKILL')).toBe(null); // killed, not exited
    const survivor = workers.find((worker) => worker !== started.worker)!;
    const response = await answer;
    expect(response).toEqual({ status: 200, body: { outputs: [{ slept: 2500 }] } });
    const retried = survivor.logs().filter((log) => log.msg === 'run started' && log.job === started.log.job);
    expect(retried).toHaveLength(1);
    expect(await metric(server.base, /^vad_queue_retries_total\{queue="runs"\}/)).toBeGreaterThan(retriesBefore);
    workers.splice(workers.indexOf(started.worker), 1);
  });

  it('a worker told to stop (SIGTERM) finishes the run in flight before it exits', async () => {
    const stopping = await startWorker(env);
    // Only this worker is free to take the run: the others are stopped for the moment.
    const others = workers.splice(0);
    await Promise.all(others.map((worker) => worker.kill('SIGKILL')));
    const answer = postJson(`${server.base}/workflows/run`, { specification: sleeper(1500), inputs: { image: pixel } });
    await stopping.waitForLog((log) => log.msg === 'run started', 20_000, 'the run to start');
    const exited = stopping.kill('SIGTERM');
    expect(await answer).toEqual({ status: 200, body: { outputs: [{ slept: 1500 }] } });
    expect(await exited).toBe(0);
    workers.push(await startWorker(env));
  });

  it('a fit whose worker dies halfway leaves the previous model as it was; another worker finishes it', async () => {
    // One worker, so the one killed is the one fitting.
    for (const extra of workers.splice(1)) await extra.kill('SIGKILL');
    const [worker] = workers;
    const first = await startFit('part', {});
    const done = await eventually(async () => {
      const state = await fitState(first);
      return state.state === 'running' ? undefined : state;
    }, 90_000, 'the first fit');
    expect(done.state, JSON.stringify(done.last_event)).toBe('done');
    const before = manifestText('part');
    const manifest = JSON.parse(before) as ModelManifest;

    // Three copies of the images, so the fit is still extracting features when its worker is killed.
    const second = await startFit('part', { preset: 'fast' }, 3);
    await reachedPhase(second, 'features');
    await worker!.kill('SIGKILL');
    workers.splice(0, 1);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // The manifest is untouched, its file intact (its checksum verifies), and the listing still names it.
    expect(manifestText('part')).toBe(before);
    const copy = path.join(mkdtempSync(path.join(os.tmpdir(), 'vad-verify-')), 'model.vad');
    await createFolderStore(storeDir).copyTo(manifest.files['model.vad']!, copy);
    const listed = (await (await fetch(`${server.base}/vad/models/part`)).json()) as { created: string };
    expect(listed.created).toBe(manifest.created);
    expect((await fitState(second)).state).toBe('running');

    workers.push(await startWorker(env));
    await eventually(async () => ((await fitState(second)).state === 'done' ? true : undefined), 120_000, 'the second fit on the new worker');
    const after = JSON.parse(manifestText('part')) as ModelManifest;
    expect(after.files['model.vad']!.sha256).not.toBe(manifest.files['model.vad']!.sha256);
    expect(after.metadata.backbone).not.toBe(manifest.metadata.backbone);
  }, 300_000);

  it('answers 503 while Redis is gone, recovers by itself, and loses no saved workflow or model', async () => {
    const models = await (await fetch(`${server.base}/vad/models`)).json();
    const savedWorkflows = await (await fetch(`${server.base}/vad/workflows`)).json();
    await redis.stop();
    const refused = await eventually(async () => {
      const response = await postJson(`${server.base}/workflows/run`, { specification: echo, inputs: { x: 1 } });
      return response.status === 503 ? response : undefined;
    }, 10_000, 'a 503 while Redis is down');
    expect(refused.body.error_type).toBe('QueueUnavailableError');
    expect(refused.body.message).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+.*unreachable.*retry/);
    expect((await fetch(`${server.base}/readiness`)).status).toBe(503);

    await redis.start();
    const recovered = await eventually(async () => {
      const response = await postJson(`${server.base}/workflows/run`, { specification: echo, inputs: { x: 7 } });
      return response.status === 200 ? response : undefined;
    }, 30_000, 'runs to work again after Redis came back');
    expect(recovered.body).toEqual({ outputs: [{ y: 7 }] });
    expect(await (await fetch(`${server.base}/vad/models`)).json()).toEqual(models);
    expect(await (await fetch(`${server.base}/vad/workflows`)).json()).toEqual(savedWorkflows);
  });
});
