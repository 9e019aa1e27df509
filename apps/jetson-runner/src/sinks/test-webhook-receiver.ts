import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  at: number;
  body: Record<string, unknown>;
  status: number;
}

/** A local HTTP endpoint that records POSTed JSON; the first `failFirst` requests get a 503. */
export async function startWebhookReceiver(options: { failFirst?: number } = {}) {
  const requests: ReceivedRequest[] = [];
  let failuresLeft = options.failFirst ?? 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = failuresLeft > 0 ? 503 : 200;
      if (failuresLeft > 0) failuresLeft--;
      requests.push({ at: Date.now(), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>, status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    requests,
    /** Bodies of the requests that were accepted. */
    accepted: () => requests.filter((request) => request.status === 200).map((request) => request.body),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
