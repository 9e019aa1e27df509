import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestServer, type TestServer } from './start-server.js';
import { sampleJpeg, solidPng } from './images.js';
import sharp from 'sharp';

const decodeSpecification = {
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }],
  steps: [{ type: 'vad/image_resize@v1', name: 'resize', image: '$inputs.image', width: 16, height: 16 }],
  outputs: [{ type: 'JsonField', name: 'small', selector: '$steps.resize.image' }],
};

/**
 * Every bad request gets a clear 4xx in Roboflow's error shape, and the server keeps serving:
 * after each one a good request must still succeed.
 */
describe('bad requests', () => {
  let server: TestServer;
  const apiKey = 'k-bad-requests';
  const auth = { authorization: `Bearer ${apiKey}` };
  let goodImage: string;

  beforeAll(async () => {
    server = await startTestServer({ apiKey, maxImagePixels: 40_000_000 });
    goodImage = (await sampleJpeg()).toString('base64');
  });
  afterAll(() => server.close());

  const run = (inputs: Record<string, unknown>, headers: Record<string, string> = auth) => postJson(`${server.base}/workflows/run`, { specification: decodeSpecification, inputs }, headers);

  async function expectStillServing() {
    const { status, body } = await run({ image: { type: 'base64', value: goodImage } });
    expect(status).toBe(200);
    expect(body.outputs[0].small.type).toBe('base64');
  }

  function expectErrorShape(body: Record<string, unknown>) {
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['message', 'error_type', 'context', 'inner_error_type', 'inner_error_message']));
  }

  it('malformed JSON → 400 MalformedPayloadError', async () => {
    const { status, body } = await postJson(`${server.base}/workflows/run`, '{"specification": {"inputs": [', auth);
    expect(status).toBe(400);
    expectErrorShape(body);
    expect(body.error_type).toBe('MalformedPayloadError');
    expect(body.message).toMatch(/not valid JSON/);
    await expectStillServing();
  });

  it('a payload that is not an image → 400 InvalidInputError naming the input', async () => {
    const { status, body } = await run({ image: { type: 'base64', value: Buffer.from('%PDF-1.4 definitely not an image').toString('base64') } });
    expect(status).toBe(400);
    expectErrorShape(body);
    expect(body.error_type).toBe('InvalidInputError');
    expect(body.message).toContain('input "image" is not a decodable image');
    await expectStillServing();
  });

  it('a truncated JPEG → 400 (the step that decodes it fails on invalid input)', async () => {
    const noisy = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 50 } } }).jpeg().toBuffer();
    const truncated = noisy.subarray(0, Math.floor(noisy.length / 2));
    const { status, body } = await run({ image: { type: 'base64', value: truncated.toString('base64') } });
    expect(status).toBe(400);
    expectErrorShape(body);
    expect(body.error_type).toBe('StepExecutionError');
    expect(body.inner_error_type).toBe('InvalidInputError');
    expect(body.message).toMatch(/premature end|truncated/i);
    await expectStillServing();
  });

  it('a 30,000 × 30,000 PNG (decompression bomb, ~110 KB on disk) → 400 before decoding', async () => {
    const bomb = solidPng(30_000);
    expect(bomb.length).toBeLessThan(200_000);
    const started = performance.now();
    const { status, body } = await run({ image: { type: 'base64', value: bomb.toString('base64') } });
    expect(status).toBe(400);
    expectErrorShape(body);
    expect(body.message).toContain('30000×30000 = 900000000 pixels, over the limit of 40000000');
    expect(performance.now() - started).toBeLessThan(5_000); // rejected from the header, never decoded
    await expectStillServing();
  });

  it('JSON nested 100,000 levels deep → 400 naming the nesting limit, not a stack overflow', async () => {
    const deep = `{"api_key": "${apiKey}", "specification": {"version": "1.0", "inputs": ${'['.repeat(100_000)}${']'.repeat(100_000)}, "steps": [], "outputs": []}}`;
    const { status, body } = await postJson(`${server.base}/workflows/run`, deep);
    expect(status).toBe(400);
    expectErrorShape(body);
    expect(body.message).toMatch(/nested more than 64 levels deep \(at \.specification\.inputs\[0\]/);
    await expectStillServing();
  });

  it('an unknown saved workflow → 404 NotFoundError', async () => {
    const { status, body } = await postJson(`${server.base}/examples/workflows/no-such-workflow`, { api_key: apiKey, inputs: {} });
    expect(status).toBe(404);
    expectErrorShape(body);
    expect(body.message).toContain('no saved workflow "examples/no-such-workflow"');
    await expectStillServing();
  });

  it('path-traversal ids → 400 InvalidIdentifierError, never a file outside the folder', async () => {
    for (const id of ['..%2F..%2F..%2Fetc%2Fpasswd', '%2E%2E%2Fsecret', '.hidden', 'a%00b', 'x.json']) {
      const { status, body } = await postJson(`${server.base}/examples/workflows/${id}`, { api_key: apiKey, inputs: {} });
      expect(status, id).toBe(400);
      expect(body.error_type).toBe('InvalidIdentifierError');
    }
    const workspace = await postJson(`${server.base}/..%2F..%2Fsrc/workflows/server`, { api_key: apiKey, inputs: {} });
    expect(workspace.status).toBe(400);
    await expectStillServing();
  });

  it('a missing API key → 401 UnauthorizedError saying where to put it; a key in the body, query or header works', async () => {
    const { status, body } = await run({ image: { type: 'base64', value: goodImage } }, {});
    expect(status).toBe(401);
    expectErrorShape(body);
    expect(body.message).toMatch(/api_key.*Authorization: Bearer/);
    const inBody = await postJson(`${server.base}/workflows/run`, { api_key: apiKey, specification: decodeSpecification, inputs: { image: { type: 'base64', value: goodImage } } });
    const inQuery = await postJson(`${server.base}/workflows/run?api_key=${apiKey}`, { specification: decodeSpecification, inputs: { image: { type: 'base64', value: goodImage } } });
    expect([inBody.status, inQuery.status]).toEqual([200, 200]);
    await expectStillServing();
  });

  it('other mistakes: no specification, unknown input, bad parameter, URL input while disabled', async () => {
    const noSpecification = await postJson(`${server.base}/workflows/run`, { inputs: {} }, auth);
    expect([noSpecification.status, noSpecification.body.error_type]).toEqual([400, 'InvalidInputError']);
    const unknownInput = await run({ image: { type: 'base64', value: goodImage }, extra: 1 });
    expect(unknownInput.status).toBe(400);
    expect(unknownInput.body.message).toContain('unknown input "extra"');
    const url = await run({ image: { type: 'url', value: 'http://127.0.0.1:1/x.jpg' } });
    expect(url.status).toBe(400);
    expect(url.body.message).toContain('URL inputs are disabled');
    const notAnObject = await postJson(`${server.base}/workflows/run`, 'x'.repeat(10), { ...auth, 'content-type': 'text/plain' });
    expect(notAnObject.status).toBe(400);
    expect(notAnObject.body.message).toContain('must be a JSON object');
    await expectStillServing();
  });
});
