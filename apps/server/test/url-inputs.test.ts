import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestServer, type TestServer } from './start-server.js';
import { sampleJpeg } from './images.js';

const specification = {
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }],
  steps: [{ type: 'vad/image_resize@v1', name: 'resize', image: '$inputs.image', width: 8, height: 8 }],
  outputs: [{ type: 'JsonField', name: 'small', selector: '$steps.resize.image' }],
};

/** URL inputs against a real local HTTP server: off by default, never loopback unless allowed. */
describe('URL inputs', () => {
  let imageServer: http.Server;
  let imageUrl: string;
  let redirectUrl: string;
  const started: TestServer[] = [];

  beforeAll(async () => {
    const jpeg = await sampleJpeg();
    imageServer = http.createServer((request, response) => {
      if (request.url === '/redirect') {
        response.writeHead(302, { location: '/image.jpg' }).end();
        return;
      }
      if (request.url === '/loop') {
        response.writeHead(302, { location: '/loop' }).end();
        return;
      }
      if (request.url === '/silent') return; // never answers
      response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': jpeg.length }).end(jpeg);
    });
    await new Promise<void>((resolve) => imageServer.listen(0, '127.0.0.1', resolve));
    const { port } = imageServer.address() as AddressInfo;
    imageUrl = `http://127.0.0.1:${port}/image.jpg`;
    redirectUrl = `http://localhost:${port}/redirect`;
  });
  afterAll(async () => {
    await Promise.all(started.map((s) => s.close()));
    await new Promise((resolve) => imageServer.close(resolve));
  });

  const start = async (config: Parameters<typeof startTestServer>[0]) => {
    const server = await startTestServer(config);
    started.push(server);
    return server;
  };
  const run = (server: TestServer, url: string) => postJson(`${server.base}/workflows/run`, { specification, inputs: { image: { type: 'url', value: url } } });

  it('are refused unless VAD_ALLOW_URL_INPUTS is set', async () => {
    const server = await start({});
    const { status, body } = await run(server, imageUrl);
    expect(status).toBe(400);
    expect(body.message).toContain('VAD_ALLOW_URL_INPUTS');
  });

  it('never reach loopback or private addresses when enabled, by IP, by name, or through a redirect', async () => {
    const server = await start({ allowUrlInputs: true });
    for (const url of [imageUrl, redirectUrl, 'http://169.254.169.254/latest/meta-data']) {
      const { status, body } = await run(server, url);
      expect(status, url).toBe(400);
      expect(body.message, url).toMatch(/private or loopback address/);
    }
    const ftp = await run(server, 'ftp://example.com/x.jpg');
    expect(ftp.body.message).toContain('only http and https');
  });

  it('fetch loopback images (following redirects) when private addresses are explicitly allowed', async () => {
    const server = await start({ allowUrlInputs: true, allowPrivateUrls: true });
    for (const url of [imageUrl, redirectUrl]) {
      const { status, body } = await run(server, url);
      expect(status, url).toBe(200);
      expect(body.outputs[0].small).toMatchObject({ type: 'base64', width: 8, height: 8 });
    }
  });

  it('refuse other spellings of internal addresses: IPv6 loopback, IPv4-mapped IPv6, a decimal IPv4, the metadata host', async () => {
    const server = await start({ allowUrlInputs: true });
    const { port } = imageServer.address() as AddressInfo;
    for (const host of ['[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '2130706433', '0x7f.0.0.1', '[fe80::1]', '169.254.169.254', '[fd00:ec2::254]', '0.0.0.0']) {
      const { status, body } = await run(server, `http://${host}:${port}/image.jpg`);
      expect(status, host).toBe(400);
      expect(body.message, host).toMatch(/private or loopback address/);
    }
  });

  it('give up on a server that never answers (the timeout) and on a redirect loop, naming the input', async () => {
    const server = await start({ allowUrlInputs: true, allowPrivateUrls: true, urlTimeoutMs: 800 });
    const { port } = imageServer.address() as AddressInfo;
    const started = performance.now();
    const silent = await run(server, `http://127.0.0.1:${port}/silent`);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(silent.status, JSON.stringify(silent.body)).toBe(400);
    expect(silent.body.message).toMatch(/input "image".*no answer within 800 ms/);
    const loop = await run(server, `http://127.0.0.1:${port}/loop`);
    expect([loop.status, loop.body.message]).toEqual([400, expect.stringContaining('more than 3 redirects')]);
  });

  it('enforce the download size limit', async () => {
    const server = await start({ allowUrlInputs: true, allowPrivateUrls: true, maxUrlBytes: 100 });
    const { status, body } = await run(server, imageUrl);
    expect(status).toBe(400);
    expect(body.message).toContain('over the limit of 100');
  });
});
