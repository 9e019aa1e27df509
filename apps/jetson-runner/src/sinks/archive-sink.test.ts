import { existsSync, readdirSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createArchiveSink } from './archive-sink.js';
import { frameResult } from './test-results.js';

const folder = () => mkdtempSync(path.join(tmpdir(), 'vad-archive-'));

describe('createArchiveSink', () => {
  it('saves each anomalous frame as a JPEG with its data beside it, and nothing else', async () => {
    const dir = folder();
    const sink = createArchiveSink({ dir, maxBytes: 10_000_000, maxAgeSeconds: 3600 });
    sink.write(frameResult(0));
    sink.write(frameResult(1, { anomalous: true, capturedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 678) }));
    await sink.close();
    expect(readdirSync(path.join(dir, 'cam')).sort()).toEqual(['20260102T030405678Z_00000001.jpg', '20260102T030405678Z_00000001.json']);
    const metadata = await sharp(path.join(dir, 'cam', '20260102T030405678Z_00000001.jpg')).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['jpeg', 16, 12]);
    expect(sink.saved).toBe(1);
  });

  it('rotation by size: the oldest frames go first, the archive stays under maxBytes', async () => {
    const dir = folder();
    // A saved pair (16×12 JPEG + its JSON) is about 1 kB: 3000 bytes hold a few of the 10.
    const sink = createArchiveSink({ dir: path.join(dir, 'real'), maxBytes: 3000, maxAgeSeconds: 3600 });
    for (let i = 0; i < 10; i++) sink.write(frameResult(i, { anomalous: true, capturedAt: Date.UTC(2026, 0, 1, 0, 0, i) }));
    await sink.close();
    const names = readdirSync(path.join(dir, 'real', 'cam')).sort();
    const kept = names.filter((name) => name.endsWith('.json')).map((name) => Number(/_(\d+)\.json$/.exec(name)![1]));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(10);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 10 - kept.length + i)); // the newest survive
    expect(sink.deleted).toBe(10 - kept.length);
  });

  it('rotation by age: frames older than maxAgeSeconds are removed, also those of an earlier run', async () => {
    const dir = folder();
    mkdirSync(path.join(dir, 'cam'));
    const old = path.join(dir, 'cam', '20250101T000000000Z_00000042');
    writeFileSync(`${old}.jpg`, 'x');
    writeFileSync(`${old}.json`, '{}');
    const longAgo = new Date(Date.now() - 3 * 3600 * 1000);
    utimesSync(`${old}.jpg`, longAgo, longAgo);
    utimesSync(`${old}.json`, longAgo, longAgo);
    const sink = createArchiveSink({ dir, maxBytes: 1e9, maxAgeSeconds: 3600 });
    sink.write(frameResult(1, { anomalous: true }));
    await sink.close();
    expect(existsSync(`${old}.jpg`)).toBe(false);
    expect(readdirSync(path.join(dir, 'cam'))).toHaveLength(2);
    await sink.prune(Date.now() + 2 * 3600 * 1000); // two hours later, the new frame has aged out too
    expect(readdirSync(path.join(dir, 'cam'))).toHaveLength(0);
  });
});
