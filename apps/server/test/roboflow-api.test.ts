import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-server.js';
import { createRoboflowStyleClient, HttpCallError } from './roboflow-client.js';
import { sampleJpeg } from './images.js';

const resizeSpecification = {
  version: '1.0',
  inputs: [
    { type: 'WorkflowImage', name: 'image' },
    { type: 'WorkflowParameter', name: 'width', default_value: 32 },
  ],
  steps: [{ type: 'vad/image_resize@v1', name: 'resize', image: '$inputs.image', width: '$inputs.width', height: 24 }],
  outputs: [
    { type: 'JsonField', name: 'small', selector: '$steps.resize.image' },
    { type: 'JsonField', name: 'original', selector: '$inputs.image' },
  ],
};

describe('Roboflow inference_sdk-style requests against the live server', () => {
  let server: TestServer;
  let workflowsDir: string;
  const apiKey = 'test-key-123';

  beforeAll(async () => {
    workflowsDir = mkdtempSync(path.join(os.tmpdir(), 'vad-workflows-'));
    mkdirSync(path.join(workflowsDir, 'my-workspace'));
    writeFileSync(path.join(workflowsDir, 'my-workspace', 'thumbnail.json'), JSON.stringify({ description: 'resize to a thumbnail', specification: resizeSpecification }));
    server = await startTestServer({ apiKey, workflowsDirs: [workflowsDir] });
  });
  afterAll(async () => {
    await server.close();
    rmSync(workflowsDir, { recursive: true, force: true });
  });

  it('runs an inline specification on POST /workflows/run with base64 images and parameters', async () => {
    const client = createRoboflowStyleClient(server.base, apiKey);
    const jpeg = await sampleJpeg(96, 64);
    const outputs = await client.runWorkflow({ specification: resizeSpecification, images: { image: jpeg }, parameters: { width: 40 } });
    expect(outputs).toHaveLength(1);
    const small = outputs[0]!.small as { type: string; value: string };
    expect(small.type).toBe('base64');
    const decoded = await sharp(Buffer.from(small.value, 'base64')).metadata();
    expect([decoded.format, decoded.width, decoded.height]).toEqual(['jpeg', 40, 24]);
    // An input image passed straight through comes back byte for byte.
    expect(Buffer.from((outputs[0]!.original as { value: string }).value, 'base64').equals(jpeg)).toBe(true);
  });

  it('returns one output record per image of a batch, in order', async () => {
    const client = createRoboflowStyleClient(server.base, apiKey);
    const images = [await sampleJpeg(96, 64), await sampleJpeg(50, 80)];
    const outputs = await client.runWorkflow({ specification: resizeSpecification, images: { image: images }, excludedFields: ['small'] });
    expect(outputs).toHaveLength(2);
    expect(outputs.map((o) => Object.keys(o))).toEqual([['original'], ['original']]);
    expect((outputs[1]!.original as { height: number }).height).toBe(80);
  });

  it('decodes base64 images for a WorkflowBatchInput of kind image and passes video metadata through, checked', async () => {
    const client = createRoboflowStyleClient(server.base, apiKey);
    const specification = {
      version: '1.3.0',
      inputs: [
        { type: 'WorkflowBatchInput', name: 'image', kind: ['image'] },
        { type: 'WorkflowVideoMetadata', name: 'video_metadata' },
      ],
      steps: [{ type: 'vad/image_resize@v1', name: 'resize', image: '$inputs.image', width: 10, height: 8 }],
      outputs: [
        { type: 'JsonField', name: 'small', selector: '$steps.resize.image' },
        { type: 'JsonField', name: 'frame', selector: '$inputs.video_metadata' },
      ],
    };
    const frame = { video_identifier: 'dock-4', frame_number: 12, frame_timestamp: '2026-12-07T06:00:00Z', fps: 15 };
    const outputs = await client.runWorkflow({ specification, images: { image: [await sampleJpeg(96, 64), await sampleJpeg(40, 30)] }, parameters: { video_metadata: frame } });
    expect(outputs).toHaveLength(2);
    const meta = await sharp(Buffer.from((outputs[1]!.small as { value: string }).value, 'base64')).metadata();
    expect([meta.width, meta.height]).toEqual([10, 8]);
    expect(outputs[0]!.frame).toMatchObject({ video_identifier: 'dock-4', frame_number: 12, frame_timestamp: '2026-12-07T06:00:00.000Z', fps: 15 });
    const bad = await client.runWorkflow({ specification, images: { image: [await sampleJpeg()] }, parameters: { video_metadata: { frame_number: 1 } } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(HttpCallError);
    expect((bad as HttpCallError).statusCode).toBe(400);
    expect((bad as HttpCallError).apiMessage).toMatch(/input "video_metadata" is not video metadata/);
  });

  it("reads the frame an image input carries in its video_metadata, as Roboflow's image inputs do", async () => {
    const specification = {
      version: '1.0',
      inputs: [{ type: 'WorkflowImage', name: 'image' }],
      steps: [{ type: 'PropertyDefinition', name: 'frame', data: '$inputs.image', operations: [{ type: 'ExtractFrameMetadata', property_name: 'frame_number' }] }],
      outputs: [{ type: 'JsonField', name: 'frame_number', selector: '$steps.frame.output' }],
    };
    const value = Buffer.from(await sampleJpeg()).toString('base64');
    const run = (image: Record<string, unknown>) =>
      fetch(`${server.base}/workflows/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: apiKey, specification, inputs: { image } }) });
    const video_metadata = { video_identifier: 'dock-4', frame_number: 57, frame_timestamp: '2026-12-07T06:00:00Z', fps: 15 };
    const ok = await run({ type: 'base64', value, video_metadata });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { outputs: Array<{ frame_number: number }> }).outputs[0]!.frame_number).toBe(57);
    const bad = await run({ type: 'base64', value, video_metadata: { video_identifier: 'dock-4' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/input "image.video_metadata" is not video metadata \(frame_number/);
  });

  it('runs a saved workflow on /{workspace}/workflows/{id} and the legacy /infer/workflows path', async () => {
    const client = createRoboflowStyleClient(server.base, apiKey);
    const jpeg = await sampleJpeg();
    for (const legacyEndpoints of [false, true]) {
      const outputs = await client.runWorkflow({ workspaceName: 'my-workspace', workflowId: 'thumbnail', images: { image: jpeg }, legacyEndpoints });
      const meta = await sharp(Buffer.from((outputs[0]!.small as { value: string }).value, 'base64')).metadata();
      expect([meta.width, meta.height]).toEqual([32, 24]);
    }
  });

  it('returns step timings when enable_profiling is set', async () => {
    const response = await fetch(`${server.base}/workflows/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ specification: resizeSpecification, inputs: { image: { type: 'base64', value: (await sampleJpeg()).toString('base64') } }, enable_profiling: true }),
    });
    const body = (await response.json()) as { profiler_trace: Array<{ name: string; type: string; calls: number; total_ms: number }> };
    expect(response.status).toBe(200);
    expect(body.profiler_trace).toHaveLength(1);
    expect(body.profiler_trace[0]).toMatchObject({ name: 'resize', type: 'vad/image_resize@v1', calls: 1 });
    expect(body.profiler_trace[0]!.total_ms).toBeGreaterThan(0);
  });

  it('answers describe, validate and describe_interface in Roboflow\'s shapes', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
    const described = (await (await fetch(`${server.base}/workflows/blocks/describe`, { headers })).json()) as { blocks: Array<{ manifest_type_identifier: string; block_schema: { properties: Record<string, unknown> } }> };
    const resize = described.blocks.find((b) => b.manifest_type_identifier === 'vad/image_resize@v1');
    expect(Object.keys(resize!.block_schema.properties)).toEqual(expect.arrayContaining(['image', 'width', 'height']));
    const valid = await fetch(`${server.base}/workflows/validate`, { method: 'POST', headers, body: JSON.stringify(resizeSpecification) });
    expect([valid.status, await valid.json()]).toEqual([200, { status: 'ok' }]);
    const broken = { ...resizeSpecification, steps: [{ ...resizeSpecification.steps[0], image: '$steps.nowhere.image' }] };
    const invalid = await fetch(`${server.base}/workflows/validate`, { method: 'POST', headers, body: JSON.stringify(broken) });
    const error = (await invalid.json()) as Record<string, unknown>;
    expect(invalid.status).toBe(400);
    expect(error).toMatchObject({ error_type: 'WorkflowCompileError', blocks_errors: [{ block_id: 'resize', property_name: 'image', property_details: '$steps.nowhere.image' }] });
    expect(error.message).toContain('nowhere');
    const face = (await (await fetch(`${server.base}/workflows/describe_interface`, { method: 'POST', headers, body: JSON.stringify({ specification: resizeSpecification }) })).json()) as Record<string, Record<string, string[]>>;
    expect(face.inputs).toEqual({ image: ['image'], width: ['*'] });
    expect(face.outputs).toEqual({ small: ['image'], original: ['image'] });
    const saved = (await (await fetch(`${server.base}/my-workspace/workflows/thumbnail/describe_interface`, { method: 'POST', headers, body: JSON.stringify({ api_key: apiKey }) })).json()) as Record<string, Record<string, string[]>>;
    expect(saved.outputs).toEqual(face.outputs);
  });

  it('answers /healthz and /readiness without a key, /info only with one, and rejects a wrong key', async () => {
    expect((await fetch(`${server.base}/info`)).status).toBe(401);
    expect(((await (await fetch(`${server.base}/info?api_key=${apiKey}`)).json()) as { name: string }).name).toBe('vad inference server');
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.base}/readiness`)).status).toBe(200);
    const wrong = createRoboflowStyleClient(server.base, 'not-the-key');
    const error = await wrong.runWorkflow({ specification: resizeSpecification, images: { image: await sampleJpeg() } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpCallError);
    expect((error as HttpCallError).statusCode).toBe(401);
  });
});
