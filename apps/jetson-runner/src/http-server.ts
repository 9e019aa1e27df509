import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunnerMetrics } from './metrics.js';
import type { StreamStats } from './stream-worker.js';
import type { createPreviewHub } from './sinks/preview-hub.js';

export interface RunnerHttpServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `/` a page with every stream's preview, `/streams/<id>/preview.mjpg` the MJPEG stream,
 * `/streams/<id>/latest.jpg` one frame, `/metrics` Prometheus, `/healthz` stream states as JSON
 * (503 when a stream has failed).
 */
export async function startHttpServer(options: {
  host: string;
  port: number;
  preview: ReturnType<typeof createPreviewHub>;
  metrics: RunnerMetrics;
  stats: () => StreamStats[];
}): Promise<RunnerHttpServer> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://runner');
    const streamRoute = /^\/streams\/([^/]+)\/(preview\.mjpg|latest\.jpg)$/.exec(url.pathname);
    const streams = options.stats();
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (url.pathname === '/metrics') {
      options.metrics.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': options.metrics.registry.contentType }).end(text),
        (error: Error) => response.writeHead(500).end(error.message),
      );
      return;
    }
    if (url.pathname === '/healthz') {
      const healthy = streams.every((stream) => stream.state !== 'failed');
      response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: healthy ? 'ok' : 'degraded', streams }));
      return;
    }
    if (streamRoute) {
      const id = decodeURIComponent(streamRoute[1]!);
      if (!streams.some((stream) => stream.id === id)) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end(`no stream "${id}" (streams: ${streams.map((s) => s.id).join(', ')})`);
        return;
      }
      if (streamRoute[2] === 'preview.mjpg') {
        options.preview.serve(id, request, response);
        return;
      }
      const jpeg = options.preview.latestJpeg(id);
      if (!jpeg) response.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('no frame yet');
      else response.writeHead(200, { 'content-type': 'image/jpeg', 'cache-control': 'no-cache' }).end(jpeg);
      return;
    }
    if (url.pathname === '/') {
      const items = streams
        .map((stream) => `<figure><img src="/streams/${encodeURIComponent(stream.id)}/preview.mjpg" alt="${escapeHtml(stream.id)}"><figcaption>${escapeHtml(stream.id)} — ${escapeHtml(stream.source)}</figcaption></figure>`)
        .join('\n');
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<!doctype html><meta charset="utf-8"><title>vad runner</title><style>body{font-family:sans-serif;background:#111;color:#eee}img{max-width:100%}figure{display:inline-block;margin:8px}</style>\n${items}\n<p><a href="/metrics">metrics</a> · <a href="/healthz">health</a></p>`);
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[character]!);
}
