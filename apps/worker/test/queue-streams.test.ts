import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamOwnerKey } from '@vad/server';
import { startTestServer, testCacheDir, type TestServer } from '../../server/test/start-server.js';
import { writeTestPlugin } from '../../server/test/plugin-package.js';
import { openStream } from '../../server/test/stream-client.js';
import { redisAvailable, startRedis, startWorker, type WorkerProcess } from './processes.js';

const enabled = redisAvailable();

const counter = {
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }],
  steps: [{ type: 'test/frame_counter@v1', name: 'counter', image: '$inputs.image' }],
  outputs: [{ type: 'JsonField', name: 'count', selector: '$steps.counter.count' }],
};
// A 1 × 1 PNG, sent as a binary frame.
const frame = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64');

/** Sends one binary frame and returns the answer. */
async function send(stream: Awaited<ReturnType<typeof openStream>>) {
  stream.socket.send(frame);
  return stream.next();
}

describe.skipIf(!enabled)('queue mode: streams keep their state on one worker', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let client: Redis;
  let server: TestServer;
  const workers: WorkerProcess[] = [];
  const plugin = writeTestPlugin();

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
    const storeDir = mkdtempSync(path.join(os.tmpdir(), 'vad-store-'));
    const env = { VAD_REDIS_URL: redis.url, VAD_STORE_DIR: storeDir, VAD_CACHE_DIR: testCacheDir, VAD_PLUGINS: plugin.packageName, VAD_PLUGINS_FROM: plugin.root, VAD_JOB_LOCK_MS: '1500' };
    server = await startTestServer({ redisUrl: redis.url, storeDir, plugins: [plugin.packageName], pluginsFrom: plugin.root });
    workers.push(...(await Promise.all([startWorker({ ...env, VAD_WORKER_ID: 'w1' }), startWorker({ ...env, VAD_WORKER_ID: 'w2' })])));
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill('SIGKILL')));
    client?.disconnect();
    await server?.close();
    await redis?.stop();
  });

  it('counts every frame of a stream on one worker; a dead worker hands the stream on, which starts afresh', async () => {
    const stream = await openStream(server.base, { specification: counter, stream_id: 'line-1' });
    expect(await stream.next()).toMatchObject({ type: 'ready', stream_id: 'line-1' });
    const counts = [];
    for (let i = 0; i < 6; i++) counts.push((await send(stream)).outputs.count);
    // With two workers taking shared jobs, only affinity gives 1…6: the counter lives in one process.
    expect(counts).toEqual([1, 2, 3, 4, 5, 6]);
    const owner = await client.get(streamOwnerKey('line-1'));
    expect(['w1', 'w2']).toContain(owner);

    await workers[owner === 'w1' ? 0 : 1]!.kill('SIGKILL');
    // The frame in flight when the worker died is answered with an error that says what happened.
    const lost = await send(stream);
    if (lost.type === 'error') expect(lost.message).toMatch(/stopped during this frame.*another worker/);
    else expect(lost.outputs.count).toBe(1);
    const after = [];
    for (let i = 0; i < 3; i++) after.push((await send(stream)).outputs.count);
    expect(after).toEqual(lost.type === 'error' ? [1, 2, 3] : [2, 3, 4]);
    expect(await client.get(streamOwnerKey('line-1'))).not.toBe(owner);

    // Closing the stream forgets its state on the worker: the same id starts from one again.
    await stream.close();
    const again = await openStream(server.base, { specification: counter, stream_id: 'line-1' });
    await again.next();
    expect((await send(again)).outputs.count).toBe(1);
    await again.close();
  });
});
