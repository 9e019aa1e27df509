import { rmSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestServer, type TestServer } from './start-server.js';
import { writeTestPlugin } from './plugin-package.js';
import { sampleJpeg } from './images.js';
import { openStream } from './stream-client.js';

const specification = {
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowParameter', name: 'step', default_value: 1 }],
  steps: [
    { type: 'test/frame_counter@v1', name: 'counter', image: '$inputs.image', step: '$inputs.step' },
    { type: 'vad/image_resize@v1', name: 'annotate', image: '$inputs.image', width: 20, height: 10 },
  ],
  outputs: [
    { type: 'JsonField', name: 'count', selector: '$steps.counter.count' },
    { type: 'JsonField', name: 'width', selector: '$steps.counter.width' },
    { type: 'JsonField', name: 'annotated', selector: '$steps.annotate.image' },
  ],
};

describe('plugins from VAD_PLUGINS and WebSocket streams', () => {
  let server: TestServer;
  let plugin: ReturnType<typeof writeTestPlugin>;
  let frame: Buffer;

  beforeAll(async () => {
    plugin = writeTestPlugin();
    server = await startTestServer({ plugins: [plugin.packageName], pluginsFrom: plugin.root });
    frame = await sampleJpeg(64, 48);
  });
  afterAll(async () => {
    await server.close();
    rmSync(plugin.root, { recursive: true, force: true });
  });

  it('lists the plugin block in describe, with where it came from', async () => {
    const described = (await (await fetch(`${server.base}/workflows/blocks/describe`)).json()) as { blocks: Array<{ manifest_type_identifier: string }>; sources: Record<string, string> };
    expect(described.blocks.map((b) => b.manifest_type_identifier)).toContain(plugin.blockType);
    expect(described.sources[plugin.blockType]).toBe('plugin:vad-test-plugin');
  });

  it('runs the plugin block over HTTP', async () => {
    const { status, body } = await postJson(`${server.base}/workflows/run`, { specification, inputs: { image: { type: 'base64', value: frame.toString('base64') }, step: 5 } });
    expect(status).toBe(200);
    expect(body.outputs[0]).toMatchObject({ count: 5, width: 64 });
  });

  it('keeps stateful blocks per stream id: two streams count their own frames', async () => {
    const a = await openStream(server.base, { specification, stream_id: 'camera-a' });
    const b = await openStream(server.base, { specification, stream_id: 'camera-b' });
    expect(await a.next()).toMatchObject({ type: 'ready', stream_id: 'camera-a', image_input: 'image' });
    expect(await b.next()).toMatchObject({ type: 'ready', stream_id: 'camera-b' });
    const counts: { a: number[]; b: number[] } = { a: [], b: [] };
    for (let i = 0; i < 3; i++) {
      a.socket.send(frame); // binary frame
      const result = await a.next();
      expect(result.type).toBe('result');
      counts.a.push(result.outputs.count);
      // The annotated frame comes back as a base64 JPEG.
      const meta = await sharp(Buffer.from(result.outputs.annotated.value, 'base64')).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 20, 10]);
    }
    b.socket.send(JSON.stringify({ type: 'frame', image: { type: 'base64', value: frame.toString('base64') }, inputs: { step: 10 } }));
    counts.b.push((await b.next()).outputs.count);
    expect(counts).toEqual({ a: [1, 2, 3], b: [10] });
    await a.close();
    await b.close();
    // Closing a stream forgets its state: the same id starts again from zero.
    const again = await openStream(server.base, { specification, stream_id: 'camera-a' });
    await again.next();
    again.socket.send(frame);
    expect((await again.next()).outputs.count).toBe(1);
    await again.close();
  });

  it('reports bad frames in the error shape and keeps the stream open', async () => {
    const stream = await openStream(server.base, { specification });
    await stream.next();
    stream.socket.send(Buffer.from('not an image'));
    const error = await stream.next();
    expect(error).toMatchObject({ type: 'error', error_type: 'InvalidInputError', status: 400 });
    stream.socket.send(frame);
    expect((await stream.next()).outputs.count).toBe(1);
    await stream.close();
  });

  it('cancels a run that passes the request timeout with 504, and keeps serving', async () => {
    const impatient = await startTestServer({ plugins: [plugin.packageName], pluginsFrom: plugin.root, requestTimeoutMs: 300 });
    try {
      const slow = {
        version: '1.0',
        inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowParameter', name: 'ms' }],
        steps: [{ type: 'test/sleep@v1', name: 'nap', image: '$inputs.image', ms: '$inputs.ms' }],
        outputs: [{ type: 'JsonField', name: 'slept', selector: '$steps.nap.slept' }],
      };
      const image = { type: 'base64', value: frame.toString('base64') };
      const started = performance.now();
      const late = await postJson(`${impatient.base}/workflows/run`, { specification: slow, inputs: { image, ms: 10_000 } });
      expect(late.status).toBe(504);
      expect(late.body.error_type).toBe('AbortedError');
      expect(performance.now() - started).toBeLessThan(5_000);
      const quick = await postJson(`${impatient.base}/workflows/run`, { specification: slow, inputs: { image, ms: 1 } });
      expect([quick.status, quick.body.outputs?.[0]?.slept]).toEqual([200, 1]);
    } finally {
      await impatient.close();
    }
  });

  it('refuses a stream for an unknown saved workflow', async () => {
    const stream = await openStream(server.base, { workspace: 'examples', workflow_id: 'missing' });
    expect(await stream.next()).toMatchObject({ type: 'error', error_type: 'NotFoundError', status: 404 });
    await stream.close();
  });
});
