import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readFrames } from './frame-reader.js';

describe('readFrames', () => {
  it('cuts a byte stream into whole frames whatever the chunk sizes, and reports a cut-off frame', async () => {
    const bytes = Uint8Array.from({ length: 6 * 3 + 4 }, (_, i) => i); // three frames of 6 bytes, then 4 of a fourth
    const chunks = [bytes.subarray(0, 1), bytes.subarray(1, 11), bytes.subarray(11, 12), bytes.subarray(12)].map((chunk) => Buffer.from(chunk));
    const partial: number[] = [];
    const frames: Uint8Array[] = [];
    for await (const frame of readFrames(Readable.from(chunks), 6, (count) => partial.push(count))) frames.push(frame);
    expect(frames.map((frame) => Array.from(frame))).toEqual([
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
      [12, 13, 14, 15, 16, 17],
    ]);
    expect(partial).toEqual([4]);
    expect(frames[0]!.buffer).not.toBe(frames[1]!.buffer); // each frame is its own buffer: a consumer may keep it
  });
});
