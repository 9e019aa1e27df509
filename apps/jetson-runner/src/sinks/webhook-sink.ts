import type { FrameResult, Sink } from '../frame-result.js';
import { messageOf } from '../errors.js';
import { frameRecord } from './frame-record.js';

export interface WebhookSinkOptions {
  url: string;
  /**
   * Per stream: the first anomaly is sent at once; anomalies in the next `debounceMs` are held
   * and sent together in one event when the window closes. No anomalous frame goes unreported.
   */
  debounceMs: number;
  /** Retries after the first attempt, for network errors, 429 and 5xx answers. */
  retries: number;
  retryDelayMs: number;
  timeoutMs: number;
  headers?: Record<string, string>;
  maxPending?: number;
  /** Output names left out of the payload. */
  exclude?: readonly string[];
  onDelivered?: (event: WebhookEvent, attempts: number) => void;
  onFailed?: (event: WebhookEvent | undefined, reason: string) => void;
}

/** The JSON body POSTed to the webhook. */
export interface WebhookEvent {
  event: 'anomaly';
  stream: string;
  /** Anomalous frames in this event (one, or those held during a debounce window), oldest first. */
  frames: Record<string, unknown>[];
  count: number;
  sentAt?: string;
}

interface StreamWindow {
  held: Record<string, unknown>[];
  timer: NodeJS.Timeout | undefined;
}

/** POSTs anomaly events, debounced per stream, delivered in order with retries and exponential backoff. */
export function createWebhookSink(options: WebhookSinkOptions): Sink & { readonly delivered: number; readonly failed: number } {
  const windows = new Map<string, StreamWindow>();
  const queue: WebhookEvent[] = [];
  const maxPending = options.maxPending ?? 1000;
  let delivered = 0;
  let failed = 0;
  let worker: Promise<void> | undefined;
  let closing = false;

  const enqueue = (event: WebhookEvent) => {
    if (queue.length >= maxPending) {
      const [lost] = queue.splice(1, 1); // queue[0] is being delivered
      failed++;
      options.onFailed?.(lost, `more than ${maxPending} events waiting; the oldest waiting one was dropped`);
    }
    queue.push(event);
    worker ??= work();
  };

  const openWindow = (streamId: string, window: StreamWindow) => {
    window.timer = setTimeout(() => {
      window.timer = undefined;
      if (window.held.length === 0) return;
      enqueue(eventOf(streamId, window.held.splice(0)));
      openWindow(streamId, window);
    }, options.debounceMs);
  };

  async function work() {
    try {
      while (queue.length > 0) {
        await deliver(queue[0]!);
        queue.shift();
      }
    } finally {
      worker = undefined;
    }
  }

  async function deliver(event: WebhookEvent) {
    let lastReason = '';
    for (let attempt = 0; attempt <= options.retries; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, closing ? Math.min(options.retryDelayMs, 200) : options.retryDelayMs * 2 ** (attempt - 1)));
      try {
        const response = await fetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...options.headers },
          body: JSON.stringify({ ...event, sentAt: new Date().toISOString() }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          delivered++;
          options.onDelivered?.(event, attempt + 1);
          return;
        }
        lastReason = `HTTP ${response.status}`;
        if (response.status < 500 && response.status !== 429) break; // the endpoint refuses this event: retrying will not help
      } catch (error) {
        lastReason = messageOf(error);
      }
    }
    failed++;
    options.onFailed?.(event, `${options.url}: ${lastReason} after ${options.retries + 1} attempts`);
  }

  return {
    name: 'webhook',
    get delivered() {
      return delivered;
    },
    get failed() {
      return failed;
    },
    write(result: FrameResult) {
      if (!result.anomalous || closing) return;
      const record = frameRecord(result, options.exclude);
      let window = windows.get(result.streamId);
      if (!window) windows.set(result.streamId, (window = { held: [], timer: undefined }));
      if (window.timer) {
        window.held.push(record);
        return;
      }
      enqueue(eventOf(result.streamId, [record]));
      if (options.debounceMs > 0) openWindow(result.streamId, window);
    },
    async close() {
      closing = true;
      for (const [streamId, window] of windows) {
        clearTimeout(window.timer);
        window.timer = undefined;
        if (window.held.length > 0) enqueue(eventOf(streamId, window.held.splice(0)));
      }
      while (worker) await worker;
    },
  };
}

function eventOf(stream: string, frames: Record<string, unknown>[]): WebhookEvent {
  return { event: 'anomaly', stream, frames, count: frames.length };
}
