import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestServer, type TestServer } from './start-server.js';
import { sampleJpeg } from './images.js';

const resize = (name: string, image: string) => ({ type: 'vad/image_resize@v1', name, image, width: 8, height: 8 });
const chain = (steps: number) => ({
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }],
  steps: Array.from({ length: steps }, (_, i) => resize(`r${i}`, i === 0 ? '$inputs.image' : `$steps.r${i - 1}.image`)),
  outputs: [{ type: 'JsonField', name: 'small', selector: `$steps.r${steps - 1}.image` }],
});
const slicer = {
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowParameter', name: 'size', default_value: 64 }],
  steps: [{ type: 'roboflow_core/image_slicer@v2', name: 'slicer', image: '$inputs.image', slice_width: '$inputs.size', slice_height: '$inputs.size', overlap_ratio_width: 0, overlap_ratio_height: 0 }],
  outputs: [{ type: 'JsonField', name: 'slices', selector: '$steps.slicer.slices' }],
};

/** Each of the server's limits is configurable, refuses with a 4xx that names it, and leaves the server serving. */
describe('request limits', () => {
  let server: TestServer;
  let image: { type: string; value: string };
  beforeAll(async () => {
    server = await startTestServer({ maxBodyBytes: 200_000, maxImagesPerRequest: 3, maxWorkflowSteps: 5, maxSlicesPerImage: 12 });
    image = { type: 'base64', value: (await sampleJpeg(256, 192)).toString('base64') };
  });
  afterAll(() => server.close());

  const run = (specification: unknown, inputs: Record<string, unknown>) => postJson(`${server.base}/workflows/run`, { specification, inputs });

  it('a body over VAD_MAX_BODY_BYTES → 413 naming the limit', async () => {
    const { status, body } = await run(chain(1), { image: { type: 'base64', value: 'A'.repeat(300_000) } });
    expect(status).toBe(413);
    expect(body).toMatchObject({ error_type: 'PayloadTooLargeError', message: expect.stringContaining('limit of 200000 bytes (VAD_MAX_BODY_BYTES)') });
    expect((await run(chain(1), { image })).status).toBe(200);
  });

  it('more images in one request than VAD_MAX_IMAGES_PER_REQUEST → 400 before any is decoded', async () => {
    const batch = await run(chain(1), { image: [image, image, image, image] });
    expect(batch.status).toBe(400);
    expect(batch.body).toMatchObject({ error_type: 'InvalidInputError', message: expect.stringContaining('4 images, more than this server\'s limit of 3') });
    expect(batch.body.message).toContain('VAD_MAX_IMAGES_PER_REQUEST');
    const allowed = await run(chain(1), { image: [image, image, image] });
    expect([allowed.status, allowed.body.outputs?.length]).toEqual([200, 3]);
  });

  it('more steps than VAD_MAX_WORKFLOW_STEPS → 400 on run, validate and describe_interface', async () => {
    const tooLong = chain(6);
    for (const [route, payload] of [['/workflows/run', { specification: tooLong, inputs: { image } }], ['/workflows/validate', tooLong], ['/workflows/describe_interface', { specification: tooLong }]] as const) {
      const { status, body } = await postJson(`${server.base}${route}`, payload);
      expect(status, route).toBe(400);
      expect(body.message, route).toContain('6 steps, more than this server\'s limit of 5 (VAD_MAX_WORKFLOW_STEPS)');
    }
    expect((await run(chain(5), { image })).status).toBe(200);
  });

  it('a slicer that would cut more than VAD_MAX_SLICES_PER_IMAGE slices → 400 naming the step, counts and limit', async () => {
    // 256 × 192 in 64 px slices without overlap: 4 × 3 = 12 slices, the limit; 32 px slices: 48.
    const fits = await run(slicer, { image });
    expect([fits.status, fits.body.outputs?.[0]?.slices?.length]).toEqual([200, 12]);
    const { status, body } = await run(slicer, { image, size: 32 });
    expect(status).toBe(400);
    expect(body.inner_error_type).toBe('InvalidInputError');
    expect(body.message).toContain('256×192 image would be cut into 48 slices of 32×32, more than the limit of 12 per image');
    expect(body.blocks_errors?.[0]).toMatchObject({ block_id: 'slicer' });
  });

  it('every limit is read from its environment variable, and a bad value is refused naming it', async () => {
    const { configFromEnv } = await import('../src/config.js');
    const config = configFromEnv({ VAD_MAX_IMAGES_PER_REQUEST: '7', VAD_MAX_WORKFLOW_STEPS: '9', VAD_MAX_SLICES_PER_IMAGE: '11', VAD_MAX_BODY_BYTES: '4096', VAD_REQUEST_TIMEOUT_MS: '1500' });
    expect(config).toMatchObject({ maxImagesPerRequest: 7, maxWorkflowSteps: 9, maxSlicesPerImage: 11, maxBodyBytes: 4096, requestTimeoutMs: 1500 });
    expect(() => configFromEnv({ VAD_MAX_SLICES_PER_IMAGE: 'lots' })).toThrow(/VAD_MAX_SLICES_PER_IMAGE="lots" must be an integer/);
  });
});
