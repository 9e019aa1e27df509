import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { SourceError } from '../errors.js';
import { ffmpegArguments } from './ffmpeg-arguments.js';
import type { DecodeOptions } from './ffmpeg-arguments.js';
import { readFrames } from './frame-reader.js';
import { describeSource, isLiveSource, isReconnectable } from './source-spec.js';
import type { SourceSpec } from './source-spec.js';

/** One decoded frame: interleaved RGB, `width × height × 3` bytes. */
export interface Frame {
  readonly streamId: string;
  /** Position in the stream since the runner started, continuing across reconnects. */
  readonly sequence: number;
  /** Which connection (1 = first open, 2 = after the first reconnect, …) the frame came through. */
  readonly connection: number;
  /** Position within its connection. */
  readonly index: number;
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  /** Wall-clock time (ms since epoch) when its last byte was read from ffmpeg. */
  readonly capturedAt: number;
}

export interface ReconnectOptions {
  /** First wait after a drop, doubled on each failed attempt. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Attempts in a row before the stream is given up; 0 = never give up. */
  maxAttempts: number;
}

export type SourceEvent =
  | { type: 'connected'; connection: number }
  | { type: 'dropped'; connection: number; reason: string }
  | { type: 'reconnecting'; attempt: number; delayMs: number }
  | { type: 'partial-frame'; bytes: number }
  | { type: 'ended' };

export interface FfmpegSourceOptions {
  streamId: string;
  source: SourceSpec;
  decode: DecodeOptions;
  reconnect?: Partial<ReconnectOptions>;
  /** How long the first frame of a connection may take (probing, network, camera start). */
  openTimeoutMs?: number;
  /** A live source that sends nothing for this long is treated as dropped. */
  stallTimeoutMs?: number;
  ffmpegPath?: string;
  onEvent?: (event: SourceEvent) => void;
}

export interface FfmpegSource {
  readonly streamId: string;
  readonly description: string;
  readonly live: boolean;
  /**
   * Frames until the source ends (files, folders) or `signal` aborts. Throws `SourceError`
   * when the source cannot be opened at all, or when a live source stays away for
   * `reconnect.maxAttempts` attempts. Reading slower than ffmpeg decodes applies backpressure.
   */
  frames(signal: AbortSignal): AsyncGenerator<Frame>;
}

export const defaultReconnect: ReconnectOptions = { initialDelayMs: 500, maxDelayMs: 30_000, maxAttempts: 0 };

/** The wait before reconnect attempt `attempt` (1-based): exponential, capped. */
export function backoffDelay(attempt: number, options: ReconnectOptions): number {
  return Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.max(0, attempt - 1));
}

export function createFfmpegSource(options: FfmpegSourceOptions): FfmpegSource {
  const { streamId, source, decode } = options;
  const description = describeSource(source);
  const reconnect = { ...defaultReconnect, ...options.reconnect };
  const openTimeoutMs = options.openTimeoutMs ?? 15_000;
  const stallTimeoutMs = options.stallTimeoutMs ?? 10_000;
  const live = isLiveSource(source);
  const frameBytes = decode.width * decode.height * 3;
  const emit = (event: SourceEvent) => options.onEvent?.(event);
  const secret = 'url' in source ? passwordOf(source.url) : undefined;
  const redact = (text: string) => (secret ? text.split(secret).join('***') : text);

  async function* frames(signal: AbortSignal): AsyncGenerator<Frame> {
    checkLocalSource(streamId, source, description);
    let sequence = 0;
    let connection = 0;
    let failedAttempts = 0;
    let everConnected = false;
    while (!signal.aborted) {
      const attempt = runConnection();
      let received = 0;
      let completed = false;
      try {
        for await (const data of attempt.frames) {
          if (received === 0) {
            connection++;
            everConnected = true;
            failedAttempts = 0;
            emit({ type: 'connected', connection });
          }
          yield { streamId, sequence: sequence++, connection, index: received++, width: decode.width, height: decode.height, data, capturedAt: Date.now() };
        }
        completed = true;
      } finally {
        // Left early (the consumer stopped, or an error): ffmpeg has no reader any more.
        if (!completed) attempt.stop();
      }
      const reason = await attempt.exitReason;
      if (signal.aborted) return;
      if (!everConnected) {
        throw new SourceError({ message: `stream "${streamId}": ${description} could not be opened: ${reason}`, streamId, path: description });
      }
      if (!isReconnectable(source)) {
        emit({ type: 'ended' });
        return;
      }
      if (received > 0) emit({ type: 'dropped', connection, reason });
      failedAttempts++;
      if (reconnect.maxAttempts > 0 && failedAttempts > reconnect.maxAttempts) {
        throw new SourceError({ message: `stream "${streamId}": ${description} was lost and ${reconnect.maxAttempts} reconnect attempts failed (last: ${reason})`, streamId, path: description });
      }
      const delayMs = backoffDelay(failedAttempts, reconnect);
      emit({ type: 'reconnecting', attempt: failedAttempts, delayMs });
      await sleep(delayMs, signal);
    }

    function runConnection() {
      const child: ChildProcessByStdio<null, Readable, Readable> = spawn(options.ffmpegPath ?? 'ffmpeg', ffmpegArguments(source, decode), {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderrTail = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (text: string) => {
        stderrTail = (stderrTail + text).slice(-2000);
      });
      let timeoutReason: string | undefined;
      let watchdog: NodeJS.Timeout | undefined;
      const arm = (ms: number, why: string) => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          timeoutReason = why;
          child.kill('SIGKILL');
        }, ms);
      };
      arm(openTimeoutMs, `no frame within ${openTimeoutMs} ms`);
      const onAbort = () => child.kill('SIGKILL');
      signal.addEventListener('abort', onAbort, { once: true });
      let spawnError: Error | undefined;
      child.on('error', (error) => {
        spawnError = error;
      });
      const exited = new Promise<string>((resolve) => {
        child.on('close', (code, signalName) => {
          clearTimeout(watchdog);
          signal.removeEventListener('abort', onAbort);
          const lastLine = redact(stderrTail).trim().split('\n').filter(Boolean).slice(-3).join(' | ');
          if (spawnError) resolve(`ffmpeg could not be started (${spawnError.message}); install ffmpeg or set ffmpegPath`);
          else if (timeoutReason) resolve(timeoutReason + (lastLine ? ` (ffmpeg: ${lastLine})` : ''));
          else if (code === 0) resolve(lastLine ? `the stream ended (ffmpeg: ${lastLine})` : 'the stream ended');
          else resolve(`ffmpeg exited with ${code ?? signalName}${lastLine ? `: ${lastLine}` : ''}`);
        });
      });
      async function* counted(): AsyncGenerator<Uint8Array> {
        for await (const frame of readFrames(child.stdout, frameBytes, (bytes) => emit({ type: 'partial-frame', bytes }))) {
          // Only time spent waiting on ffmpeg counts as a stall, not time the consumer holds the frame.
          clearTimeout(watchdog);
          yield frame;
          if (live) arm(stallTimeoutMs, `no frame for ${stallTimeoutMs} ms (stalled)`);
        }
      }
      return {
        frames: counted(),
        exitReason: exited,
        stop: () => {
          clearTimeout(watchdog);
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        },
      };
    }
  }

  return { streamId, description, live, frames };
}

/** Files, folders and devices that are missing fail at once with a clear message, before ffmpeg runs. */
function checkLocalSource(streamId: string, source: SourceSpec, description: string) {
  const fail = (why: string) => {
    throw new SourceError({ message: `stream "${streamId}": ${description} could not be opened: ${why}`, streamId, path: description });
  };
  if (source.type === 'file' && !existsSync(source.path)) fail('the file does not exist');
  if (source.type === 'v4l2' && !existsSync(source.device)) fail('the device does not exist (is the camera plugged in, and is the user in the "video" group?)');
  if (source.type === 'images') {
    if (!existsSync(source.dir) || !statSync(source.dir).isDirectory()) fail('the folder does not exist');
    const pattern = globToRegExp(source.pattern ?? '*.jpg');
    if (!readdirSync(source.dir).some((name) => pattern.test(name))) fail(`no file matches ${source.pattern ?? '*.jpg'}`);
  }
}

function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
