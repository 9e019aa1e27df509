import type { Readable } from 'node:stream';

/**
 * Cuts a raw video byte stream into frames of exactly `frameBytes` bytes. Each yielded frame
 * is a fresh buffer the caller may keep. Bytes left over at the end (a frame cut off when
 * the stream dropped) are reported through `onPartial` and never yielded.
 */
export async function* readFrames(stream: Readable, frameBytes: number, onPartial?: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  let frame = new Uint8Array(frameBytes);
  let filled = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(frameBytes - filled, chunk.length - offset);
      frame.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === frameBytes) {
        yield frame;
        frame = new Uint8Array(frameBytes);
        filled = 0;
      }
    }
  }
  if (filled > 0) onPartial?.(filled);
}
