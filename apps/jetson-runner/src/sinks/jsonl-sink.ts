import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FrameResult, Sink } from '../frame-result.js';
import { frameRecord } from './frame-record.js';

export interface JsonlSinkOptions {
  path: string;
  /** Output names left out of each line (e.g. a large embedding). */
  exclude?: readonly string[];
  onError?: (error: Error) => void;
}

/** Appends one JSON line per processed frame, of every stream, to one file. */
export function createJsonlSink(options: JsonlSinkOptions): Sink {
  mkdirSync(path.dirname(options.path), { recursive: true });
  const stream = createWriteStream(options.path, { flags: 'a' });
  let failed: Error | undefined;
  stream.on('error', (error) => {
    failed = error;
    options.onError?.(error);
  });
  return {
    name: 'jsonl',
    write(result: FrameResult) {
      if (failed) return;
      stream.write(`${JSON.stringify(frameRecord(result, options.exclude))}\n`);
    },
    close() {
      return new Promise<void>((resolve) => {
        if (failed || stream.destroyed) return resolve();
        stream.end(() => resolve());
      });
    },
  };
}
