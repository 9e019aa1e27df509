import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-server.js';

const apiKey = 'k-auth-0123456789';
const wrongKey = 'k-auth-0123456780'; // same length: compared in constant time, still refused

/** One request of every route family; `body` is JSON unless it is FormData. */
const protectedRoutes: Array<{ family: string; method: string; url: string; body?: unknown }> = [
  { family: 'run inline', method: 'POST', url: '/workflows/run', body: { specification: { version: '1.0', inputs: [], steps: [], outputs: [] }, inputs: {} } },
  { family: 'run saved', method: 'POST', url: '/examples/workflows/embedding-outliers', body: { inputs: {} } },
  { family: 'run saved (legacy path)', method: 'POST', url: '/infer/workflows/examples/embedding-outliers', body: { inputs: {} } },
  { family: 'validate', method: 'POST', url: '/workflows/validate', body: { version: '1.0', inputs: [], steps: [], outputs: [] } },
  { family: 'describe interface', method: 'POST', url: '/workflows/describe_interface', body: { workspace_name: 'examples', workflow_id: 'embedding-outliers' } },
  { family: 'describe interface (saved)', method: 'POST', url: '/examples/workflows/embedding-outliers/describe_interface', body: {} },
  { family: 'describe blocks', method: 'GET', url: '/workflows/blocks/describe' },
  { family: 'describe blocks (POST)', method: 'POST', url: '/workflows/blocks/describe', body: {} },
  { family: 'saved workflows', method: 'GET', url: '/vad/workflows' },
  { family: 'one saved workflow', method: 'GET', url: '/vad/workflows/examples/sliced-detection' },
  { family: 'info', method: 'GET', url: '/info' },
  { family: 'metrics', method: 'GET', url: '/metrics' },
  { family: 'models', method: 'GET', url: '/vad/models' },
  { family: 'one model', method: 'GET', url: '/vad/models/nothing' },
  { family: 'delete a model', method: 'DELETE', url: '/vad/models/nothing' },
  { family: 'fit', method: 'POST', url: '/vad/models/fit', body: 'form' },
  { family: 'fit state', method: 'GET', url: '/vad/fits/nothing' },
  { family: 'fit events', method: 'GET', url: '/vad/fits/nothing/events' },
  { family: 'demo', method: 'GET', url: '/vad/demo' },
  { family: 'demo image', method: 'GET', url: '/vad/demo/images/train/good/000.png' },
  { family: 'demo fit', method: 'POST', url: '/vad/demo/fit', body: {} },
];

/** With VAD_API_KEY set, every route but health, readiness and the page's static files needs the key. */
describe('API key on every route family', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ apiKey });
  });
  afterAll(() => server.close());

  const send = (route: (typeof protectedRoutes)[number], headers: Record<string, string>) => {
    let body: BodyInit | undefined;
    if (route.body === 'form') {
      const form = new FormData();
      form.append('name', 'auth-test');
      body = form;
    } else if (route.body !== undefined) {
      body = JSON.stringify(route.body);
      headers = { ...headers, 'content-type': 'application/json' };
    }
    return fetch(`${server.base}${route.url}`, { method: route.method, headers, body });
  };

  it('refuses each protected route without a key and with a wrong one (401 in the error shape), and lets the right one through', async () => {
    for (const route of protectedRoutes) {
      const none = await send(route, {});
      expect(none.status, route.family).toBe(401);
      expect(await none.json(), route.family).toMatchObject({ error_type: 'UnauthorizedError', message: expect.stringContaining('requires an API key') });
      const wrong = await send(route, { authorization: `Bearer ${wrongKey}` });
      expect(wrong.status, route.family).toBe(401);
      expect(((await wrong.json()) as { message: string }).message, route.family).toContain('not valid');
      const right = await send(route, { authorization: `Bearer ${apiKey}` });
      expect(right.status, route.family).not.toBe(401);
      await right.body?.cancel();
    }
  });

  it('takes the key from the query string and from the JSON body, as Roboflow clients send it', async () => {
    const describeRoute = protectedRoutes.find((r) => r.family === 'describe interface')!;
    expect((await fetch(`${server.base}/info?api_key=${apiKey}`)).status).toBe(200);
    const inBody = await fetch(`${server.base}${describeRoute.url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...(describeRoute.body as object), api_key: apiKey }) });
    expect(inBody.status).toBe(200);
  });

  it('leaves health, readiness and the static page open', async () => {
    for (const url of ['/healthz', '/readiness', '/', '/ui/app.js', '/ui/style.css']) {
      const response = await fetch(`${server.base}${url}`);
      expect(response.status, url).toBe(200);
      await response.body?.cancel();
    }
  });

  it('refuses a WebSocket stream without the key and accepts one with it', async () => {
    const url = `${server.base.replace('http', 'ws')}/vad/stream`;
    const refused = await new Promise<string>((resolve) => {
      const socket = new WebSocket(url);
      socket.on('open', () => resolve('open'));
      socket.on('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
      socket.on('error', (error) => resolve(error.message));
    });
    expect(refused).toBe('401');
    const accepted = await new Promise<string>((resolve) => {
      const socket = new WebSocket(`${url}?api_key=${apiKey}`);
      socket.on('open', () => (socket.close(), resolve('open')));
      socket.on('error', (error) => resolve(error.message));
    });
    expect(accepted).toBe('open');
  });
});
