import { describe, expect, it } from 'vitest';
import { startWebhookReceiver } from './test-webhook-receiver.js';
import { createWebhookSink } from './webhook-sink.js';
import { frameResult } from './test-results.js';

async function until(condition: () => boolean, timeoutMs = 10_000) {
  for (const deadline = Date.now() + timeoutMs; !condition(); await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (Date.now() > deadline) throw new Error('timed out');
  }
}

const sequencesOf = (body: Record<string, unknown>) => (body.frames as { sequence: number }[]).map((frame) => frame.sequence);

describe('createWebhookSink', () => {
  it('debounce: the first anomaly goes at once, the next ones in the window go together when it closes', async () => {
    const receiver = await startWebhookReceiver();
    const sink = createWebhookSink({ url: receiver.url, debounceMs: 800, retries: 0, retryDelayMs: 10, timeoutMs: 2000 });
    const started = Date.now();
    sink.write(frameResult(0, { anomalous: true }));
    sink.write(frameResult(1));
    sink.write(frameResult(2, { anomalous: true }));
    sink.write(frameResult(3, { anomalous: true }));
    sink.write(frameResult(4, { anomalous: true, streamId: 'other' })); // another stream has its own window
    await until(() => receiver.requests.length >= 2);
    expect(receiver.requests.slice(0, 2).map((request) => [request.body.stream, sequencesOf(request.body)])).toEqual([
      ['cam', [0]],
      ['other', [4]],
    ]);
    await until(() => receiver.requests.length >= 3);
    expect(receiver.requests[2]!.body).toMatchObject({ event: 'anomaly', stream: 'cam', count: 2 });
    expect(sequencesOf(receiver.requests[2]!.body)).toEqual([2, 3]);
    expect(receiver.requests[2]!.at - started).toBeGreaterThanOrEqual(790); // held until the window closed
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.requests).toHaveLength(3);
    expect((receiver.requests[0]!.body.frames as { outputs: unknown }[])[0]!.outputs).toEqual({ score: 0.9, embedding: [1, 2] });
    await sink.close();
    expect(sink.delivered).toBe(3);
    await receiver.close();
  });

  it('retry: 503s are retried with backoff; close() sends what is held and waits for delivery', async () => {
    const receiver = await startWebhookReceiver({ failFirst: 2 });
    const sink = createWebhookSink({ url: receiver.url, debounceMs: 60_000, retries: 3, retryDelayMs: 40, timeoutMs: 2000 });
    sink.write(frameResult(7, { anomalous: true }));
    sink.write(frameResult(8, { anomalous: true })); // held: inside frame 7's debounce window
    await until(() => receiver.accepted().length >= 1);
    expect(receiver.requests).toHaveLength(3);
    await sink.close();
    expect(receiver.requests.map((request) => request.status)).toEqual([503, 503, 200, 200]);
    expect(receiver.accepted().map(sequencesOf)).toEqual([[7], [8]]);
    expect(receiver.requests[2]!.at - receiver.requests[1]!.at).toBeGreaterThanOrEqual(70); // second retry waits 2 × 40 ms
    expect([sink.delivered, sink.failed]).toEqual([2, 0]);
    await receiver.close();
  });

  it('gives up after the retries, and at once on a 4xx; failures are reported with the reason', async () => {
    const reasons: string[] = [];
    const down = createWebhookSink({ url: 'http://127.0.0.1:9/hook', debounceMs: 0, retries: 2, retryDelayMs: 10, timeoutMs: 1000, onFailed: (_event, reason) => reasons.push(reason) });
    down.write(frameResult(1, { anomalous: true }));
    await down.close();
    expect(down.failed).toBe(1);
    expect(reasons[0]).toMatch(/http:\/\/127\.0\.0\.1:9\/hook: .* after 3 attempts/);

    const receiver = await startWebhookReceiver();
    const refused = createWebhookSink({ url: `${receiver.url.replace('/hook', '')}/hook`, debounceMs: 0, retries: 5, retryDelayMs: 10, timeoutMs: 1000, headers: { authorization: 'Bearer x' } });
    refused.write(frameResult(1));
    await refused.close();
    expect(receiver.requests).toHaveLength(0); // normal frames are not events
    await receiver.close();
  });
});
