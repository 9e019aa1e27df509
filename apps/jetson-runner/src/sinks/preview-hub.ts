import type { IncomingMessage, ServerResponse } from 'node:http';
import { VadImage } from '@vad/core';
import type { FrameResult, Sink } from '../frame-result.js';

export interface PreviewHubOptions {
  /** The workflow image output to show (e.g. an annotated frame); default: the decoded frame. */
  output?: string;
  maxFps: number;
  quality: number;
}

const boundary = 'vadframe';

/**
 * An MJPEG preview per stream (`multipart/x-mixed-replace`). Frames are encoded only while
 * someone watches, at most `maxFps`, and a client that reads slowly skips frames rather than
 * queueing them.
 */
export function createPreviewHub(options: PreviewHubOptions): Sink & {
  serve(streamId: string, request: IncomingMessage, response: ServerResponse): void;
  latestJpeg(streamId: string): Buffer | undefined;
  clients(streamId: string): number;
} {
  const clients = new Map<string, Set<ServerResponse>>();
  const latest = new Map<string, Buffer>();
  const lastEncodedAt = new Map<string, number>();
  const encoding = new Set<string>();
  const pendingEncodes = new Set<Promise<void>>();
  const minIntervalMs = 1000 / options.maxFps;

  const broadcast = (streamId: string, jpeg: Buffer) => {
    latest.set(streamId, jpeg);
    for (const response of clients.get(streamId) ?? []) if (!response.writableNeedDrain) writePart(response, jpeg);
  };

  return {
    name: 'preview',
    write(result: FrameResult) {
      // Nobody watching: still keep /latest.jpg about a second fresh, at little cost.
      const watching = (clients.get(result.streamId)?.size ?? 0) > 0;
      const interval = watching ? minIntervalMs : Math.max(minIntervalMs, 1000);
      const now = performance.now();
      if (encoding.has(result.streamId) || now - (lastEncodedAt.get(result.streamId) ?? -Infinity) < interval) return;
      const chosen = options.output ? result.outputs[options.output] : result.frame;
      const image = VadImage.isImage(chosen) ? chosen : result.frame;
      encoding.add(result.streamId);
      lastEncodedAt.set(result.streamId, now);
      const task = image
        .encode('jpeg', { quality: options.quality })
        .then((jpeg) => broadcast(result.streamId, jpeg))
        .catch(() => undefined)
        .finally(() => {
          encoding.delete(result.streamId);
          pendingEncodes.delete(task);
        });
      pendingEncodes.add(task);
    },
    serve(streamId, request, response) {
      response.writeHead(200, {
        'content-type': `multipart/x-mixed-replace; boundary=${boundary}`,
        'cache-control': 'no-cache, no-store',
        connection: 'close',
      });
      let set = clients.get(streamId);
      if (!set) clients.set(streamId, (set = new Set()));
      set.add(response);
      const first = latest.get(streamId);
      if (first) writePart(response, first);
      request.on('close', () => set.delete(response));
    },
    latestJpeg: (streamId) => latest.get(streamId),
    clients: (streamId) => clients.get(streamId)?.size ?? 0,
    async close() {
      await Promise.all(pendingEncodes);
      for (const set of clients.values()) for (const response of set) response.end();
      clients.clear();
    },
  };
}

function writePart(response: ServerResponse, jpeg: Buffer) {
  response.write(Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`), jpeg, Buffer.from('\r\n')]));
}
