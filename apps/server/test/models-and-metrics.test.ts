import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestServer, type TestServer } from './start-server.js';
import { sampleJpeg } from './images.js';

async function readSse(response: Response): Promise<Array<Record<string, any>>> {
  const text = await response.text();
  return text
    .split('\n\n')
    .map((block) => block.split('\n').find((line) => line.startsWith('data: ')))
    .filter((line): line is string => line !== undefined)
    .map((line) => JSON.parse(line.slice(6)));
}

describe('models API, metrics and readiness', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ maxConcurrentFits: 1 });
  });
  afterAll(() => server.close());

  it('lists, shows and deletes model folders, refusing names that leave the folder', async () => {
    mkdirSync(path.join(server.modelsDir, 'by-hand'));
    writeFileSync(path.join(server.modelsDir, 'by-hand', 'model.vad'), 'x'.repeat(10));
    const list = (await (await fetch(`${server.base}/vad/models`)).json()) as { models: Array<{ name: string; type: string; bytes: number }> };
    expect(list.models).toEqual([expect.objectContaining({ name: 'by-hand', type: 'unknown', bytes: 10 })]);
    expect((await fetch(`${server.base}/vad/models/..%2Fetc`, { method: 'DELETE' })).status).toBe(400);
    expect((await fetch(`${server.base}/vad/models/nothing`, { method: 'DELETE' })).status).toBe(404);
    const deleted = await fetch(`${server.base}/vad/models/by-hand`, { method: 'DELETE' });
    expect([deleted.status, await deleted.json()]).toEqual([200, { deleted: 'by-hand' }]);
    expect(((await (await fetch(`${server.base}/vad/models`)).json()) as { models: unknown[] }).models).toEqual([]);
  });

  it('streams a failed fit as SSE with the reason (an upload that is not an image) and writes no model', async () => {
    const form = new FormData();
    form.append('name', 'broken');
    form.append('images', new Blob([new Uint8Array(await sampleJpeg())]), 'ok.jpg');
    form.append('images', new Blob([new TextEncoder().encode('not an image at all')]), 'notes.txt');
    const response = await fetch(`${server.base}/vad/models/fit`, { method: 'POST', body: form, headers: { accept: 'text/event-stream' } });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = await readSse(response);
    expect(events.at(-1)).toMatchObject({ type: 'error', error_type: 'InvalidInputError' });
    expect(events.at(-1)!.message).toContain('upload 2 of 2 is not an image');
    expect(((await (await fetch(`${server.base}/vad/models`)).json()) as { models: unknown[] }).models).toEqual([]);
  });

  it('names a fit option of the wrong type, and an unknown augmentation, in the failed fit', async () => {
    const failure = async (options: unknown) => {
      const form = new FormData();
      form.append('name', 'options');
      form.append('options', JSON.stringify(options));
      form.append('images', new Blob([new Uint8Array(await sampleJpeg())]), 'ok.jpg');
      const events = await readSse(await fetch(`${server.base}/vad/models/fit`, { method: 'POST', body: form, headers: { accept: 'text/event-stream' } }));
      return events.at(-1)!;
    };
    expect(await failure({ augmentations: 'darker' })).toMatchObject({ type: 'error', error_type: 'InvalidInputError', message: expect.stringContaining('options.augmentations must be a list of names') });
    expect((await failure({ exposure_gains: ['bright'] })).message).toContain('options.exposure_gains must be a list of numbers');
    expect((await failure({ augmentations: ['sharper'] })).message).toMatch(/unknown augmentation "sharper"; known: .*darker, brighter/);
    expect(((await (await fetch(`${server.base}/vad/models`)).json()) as { models: unknown[] }).models).toEqual([]);
  });

  it('refuses a fit without a name, without images, or with a bad name', async () => {
    const noName = new FormData();
    noName.append('images', new Blob([new Uint8Array(await sampleJpeg())]), 'a.jpg');
    expect((await fetch(`${server.base}/vad/models/fit`, { method: 'POST', body: noName })).status).toBe(400);
    const noImages = new FormData();
    noImages.append('name', 'empty');
    const empty = await fetch(`${server.base}/vad/models/fit`, { method: 'POST', body: noImages });
    expect([empty.status, ((await empty.json()) as { message: string }).message]).toEqual([400, expect.stringContaining('at least one normal image')]);
    const badName = new FormData();
    badName.append('name', '../escape');
    badName.append('images', new Blob([new Uint8Array(await sampleJpeg())]), 'a.jpg');
    expect((await fetch(`${server.base}/vad/models/fit`, { method: 'POST', body: badName })).status).toBe(400);
    const json = await postJson(`${server.base}/vad/models/fit`, { name: 'x' });
    expect(json.status).toBe(415);
  });

  it('limits concurrent fits with 429', async () => {
    const form = () => {
      const data = new FormData();
      data.append('name', 'slow');
      return data;
    };
    const first = form();
    const image = new Uint8Array(await sampleJpeg(256, 256));
    for (let i = 0; i < 4; i++) first.append('images', new Blob([image]), `${i}.jpg`);
    const started = await fetch(`${server.base}/vad/models/fit`, { method: 'POST', body: first });
    expect(started.status).toBe(202);
    const { job_id: jobId } = (await started.json()) as { job_id: string };
    const second = form();
    second.append('images', new Blob([image]), 'a.jpg');
    const refused = await fetch(`${server.base}/vad/models/fit`, { method: 'POST', body: second });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error_type: string }).error_type).toBe('TooManyFitsError');
    const job = (await (await fetch(`${server.base}/vad/fits/${jobId}`)).json()) as { state: string };
    expect(job.state).toBe('running');
  });

  it('exposes Prometheus metrics: request latency by route, step time by block type, queue depth', async () => {
    const specification = {
      version: '1.0',
      inputs: [{ type: 'WorkflowImage', name: 'image' }],
      steps: [{ type: 'vad/image_resize@v1', name: 'resize', image: '$inputs.image', width: 8, height: 8 }],
      outputs: [{ type: 'JsonField', name: 'small', selector: '$steps.resize.image' }],
    };
    await postJson(`${server.base}/workflows/run`, { specification, inputs: { image: { type: 'base64', value: (await sampleJpeg()).toString('base64') } } });
    const text = await (await fetch(`${server.base}/metrics`)).text();
    expect(text).toMatch(/vad_http_request_duration_seconds_count\{method="POST",route="\/workflows\/run",status_code="200"\} [1-9]/);
    expect(text).toMatch(/vad_workflow_step_duration_seconds_count\{block_type="vad\/image_resize@v1"\} [1-9]/);
    expect(text).toContain('vad_workflow_queue_depth 0');
    expect(text).toMatch(/vad_fits_running \d/);
    expect(text).toContain('vad_process_resident_memory_bytes');
  });

  it('says ready on /readiness once warm-up tasks finish, and healthy on /healthz', async () => {
    expect(await (await fetch(`${server.base}/healthz`)).json()).toEqual({ status: 'healthy' });
    const ready = await fetch(`${server.base}/readiness`);
    expect([ready.status, ((await ready.json()) as { status: string }).status]).toEqual([200, 'ready']);
    server.server.context.warmup.push({ name: 'pretend-backbone', state: 'pending' });
    const starting = await fetch(`${server.base}/readiness`);
    expect([starting.status, await starting.json()]).toEqual([503, { status: 'starting', pending: ['pretend-backbone'], failed: [] }]);
    server.server.context.warmup.pop();
  });
});
