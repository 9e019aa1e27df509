import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { VadImage } from '@vad/core';
import type { FrameResult, Sink } from '../frame-result.js';
import { messageOf } from '../errors.js';
import { frameRecord } from './frame-record.js';

export interface ArchiveSinkOptions {
  dir: string;
  /** The oldest frames are deleted while the archive holds more bytes than this. */
  maxBytes: number;
  /** Frames older than this are deleted. */
  maxAgeSeconds: number;
  /** A workflow image output saved instead of the decoded frame (e.g. an annotated image). */
  imageOutput?: string;
  quality?: number;
  /** Frames waiting to be written beyond this are skipped (and counted). */
  maxPending?: number;
  exclude?: readonly string[];
  onError?: (error: Error) => void;
}

interface Entry {
  /** Path without extension: `<dir>/<stream>/<time>_<sequence>`. */
  base: string;
  bytes: number;
  savedAt: number;
}

export interface ArchiveSink extends Sink {
  readonly saved: number;
  readonly skipped: number;
  readonly deleted: number;
  /** Applies the size and age limits now (also done after every save and once a minute). */
  prune(now?: number): Promise<void>;
}

/**
 * Saves each anomalous frame as `<dir>/<stream>/<UTC time>_<sequence>.jpg` with its data in a
 * `.json` beside it, and keeps the folder within `maxBytes` and `maxAgeSeconds` (oldest first).
 */
export function createArchiveSink(options: ArchiveSinkOptions): ArchiveSink {
  mkdirSync(options.dir, { recursive: true });
  const entries = scanArchive(options.dir);
  let totalBytes = entries.reduce((sum, entry) => sum + entry.bytes, 0);
  const maxPending = options.maxPending ?? 64;
  let pending = 0;
  let chain: Promise<void> = Promise.resolve();
  let saved = 0;
  let skipped = 0;
  let deleted = 0;

  const timer = setInterval(() => void enqueue(() => prune()), Math.min(60_000, options.maxAgeSeconds * 1000));
  timer.unref();

  function enqueue(task: () => Promise<void>) {
    pending++;
    chain = chain.then(task).catch((error: unknown) => options.onError?.(error instanceof Error ? error : new Error(messageOf(error)))).finally(() => pending--);
    return chain;
  }

  async function save(result: FrameResult) {
    const chosen = options.imageOutput ? result.outputs[options.imageOutput] : result.frame;
    const image = VadImage.isImage(chosen) ? chosen : result.frame;
    const jpeg = await image.encode('jpeg', { quality: options.quality ?? 90 });
    const json = Buffer.from(`${JSON.stringify(frameRecord(result, options.exclude), null, 2)}\n`);
    const folder = path.join(options.dir, result.streamId);
    mkdirSync(folder, { recursive: true });
    const stamp = new Date(result.capturedAt).toISOString().replace(/[-:]/g, '').replace('.', '');
    const base = path.join(folder, `${stamp}_${String(result.sequence).padStart(8, '0')}`);
    // The JSON is written last: a frame with its .json is complete.
    await writeFile(`${base}.jpg`, jpeg);
    await writeFile(`${base}.json`, json);
    entries.push({ base, bytes: jpeg.length + json.length, savedAt: Date.now() });
    totalBytes += jpeg.length + json.length;
    saved++;
    await prune();
  }

  async function prune(now = Date.now()) {
    const oldestAllowed = now - options.maxAgeSeconds * 1000;
    entries.sort((a, b) => a.savedAt - b.savedAt);
    while (entries.length > 0 && (totalBytes > options.maxBytes || entries[0]!.savedAt < oldestAllowed)) {
      const entry = entries.shift()!;
      totalBytes -= entry.bytes;
      await Promise.all([rm(`${entry.base}.jpg`, { force: true }), rm(`${entry.base}.json`, { force: true })]);
      deleted++;
    }
  }

  return {
    name: 'archive',
    get saved() {
      return saved;
    },
    get skipped() {
      return skipped;
    },
    get deleted() {
      return deleted;
    },
    write(result) {
      if (!result.anomalous) return;
      if (pending >= maxPending) {
        skipped++;
        return;
      }
      void enqueue(() => save(result));
    },
    prune: (now) => enqueue(() => prune(now)),
    async close() {
      clearInterval(timer);
      await chain;
    },
  };
}

/** What an existing archive folder holds (frames saved by an earlier run count toward the limits). */
function scanArchive(dir: string): Entry[] {
  const entries: Entry[] = [];
  for (const stream of readdirSync(dir, { withFileTypes: true })) {
    if (!stream.isDirectory()) continue;
    const folder = path.join(dir, stream.name);
    const files = new Map<string, { bytes: number; savedAt: number }>();
    for (const name of readdirSync(folder)) {
      const match = /^(.+)\.(jpg|json)$/.exec(name);
      if (!match) continue;
      const stat = statSync(path.join(folder, name));
      const base = path.join(folder, match[1]!);
      const previous = files.get(base);
      files.set(base, { bytes: (previous?.bytes ?? 0) + stat.size, savedAt: Math.min(previous?.savedAt ?? Infinity, stat.mtimeMs) });
    }
    for (const [base, info] of files) entries.push({ base, ...info });
  }
  return entries;
}
