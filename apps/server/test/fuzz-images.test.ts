import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzSettings, expectLocatedError, type Injected } from './fuzz-settings.js';
import { solidPng } from './images.js';
import { startTestServer, type TestServer } from './start-server.js';

/** Returns the decoded image as the workflow saw it (its size), so orientation and decoding are checked, not just accepted. */
const echo = {
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }],
  steps: [{ type: 'vad/image_resize@v1', name: 'resize', image: '$inputs.image', width: 4, height: 4 }],
  outputs: [{ type: 'JsonField', name: 'original', selector: '$inputs.image' }, { type: 'JsonField', name: 'small', selector: '$steps.resize.image' }],
};

interface Special {
  name: string;
  bytes: Buffer;
  /** The size the workflow must see (EXIF orientation applied). */
  size: [number, number];
}

/** Real, valid files of the kinds that trip decoders: each must run, at the size a viewer shows. */
async function specialImages(): Promise<Special[]> {
  const red = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#d02020' } }).png().toBuffer();
  const blue = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#2040d0' } }).png().toBuffer();
  const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toBuffer();
  return [
    { name: 'JPEG', bytes: photo, size: [64, 48] },
    { name: '16-bit PNG', bytes: await sharp(red).toColourspace('rgb16').png().toBuffer(), size: [40, 30] },
    { name: 'CMYK JPEG', bytes: await sharp(red).toColourspace('cmyk').jpeg().toBuffer(), size: [40, 30] },
    { name: 'animated GIF', bytes: await sharp([red, blue], { join: { animated: true } }).gif().toBuffer(), size: [40, 30] },
    { name: 'animated WebP', bytes: await sharp([red, blue], { join: { animated: true } }).webp().toBuffer(), size: [40, 30] },
    { name: 'EXIF-rotated JPEG (orientation 6)', bytes: await sharp(photo).withMetadata({ orientation: 6 }).jpeg().toBuffer(), size: [48, 64] },
    { name: 'EXIF-rotated JPEG (orientation 8)', bytes: await sharp(photo).withMetadata({ orientation: 8 }).jpeg().toBuffer(), size: [48, 64] },
    { name: '1 × 1 PNG', bytes: await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } }).png().toBuffer(), size: [1, 1] },
    { name: 'gray PNG with alpha', bytes: await sharp({ create: { width: 20, height: 10, channels: 4, background: { r: 9, g: 9, b: 9, alpha: 0.5 } } }).greyscale().png().toBuffer(), size: [20, 10] },
    { name: 'TIFF', bytes: await sharp(red).tiff().toBuffer(), size: [40, 30] },
  ];
}

type Corruption = { op: number; at: number; length: number; byte: number };

/** Truncate, flip, zero, insert, replace the magic, or make it empty — a file as the network or a bad camera delivers it. */
function corrupt(bytes: Buffer, corruption: Corruption): Buffer {
  const { op, at, length, byte } = corruption;
  const position = at % Math.max(1, bytes.length);
  const copy = Buffer.from(bytes);
  switch (op % 7) {
    case 0:
      return copy.subarray(0, position);
    case 1:
      for (let i = 0; i < 1 + (length % 16); i++) {
        const index = (position + i * 131) % copy.length;
        copy[index] = copy[index]! ^ (1 << (byte % 8));
      }
      return copy;
    case 2:
      copy.fill(0, position, Math.min(copy.length, position + 1 + (length % 4096)));
      return copy;
    case 3:
      return Buffer.concat([copy.subarray(0, position), Buffer.alloc(1 + (length % 64), byte), copy.subarray(position)]);
    case 4:
      copy.write(['GIF8', 'BM\0\0', '\x89PNx', 'RIFF', '\0\0\0\0', 'II*\0'][byte % 6]!, 0, 'latin1');
      return copy;
    case 5:
      return Buffer.alloc(length % 3);
    default:
      return Buffer.from(Array.from({ length: 1 + (length % 512) }, (_, i) => (byte * 31 + i * 17) % 256));
  }
}

/**
 * Mutated image payloads (≥ 2,000, seeded): each one either decodes and runs at its true size,
 * or is a 400 that names the input; never a 500, a hang or a crash. A decompression bomb is
 * refused from its header, before any pixel is decoded.
 */
describe('fuzzing image payloads', () => {
  let server: TestServer;
  let specials: Special[];
  const outcomes = new Map<string, number>();
  beforeAll(async () => {
    server = await startTestServer({ maxImagePixels: 40_000_000 });
    specials = await specialImages();
  });
  afterAll(async () => {
    console.log(`image fuzzing (seed ${fuzzSettings.seed}): ${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    await server.close();
  });

  const runImage = async (value: string): Promise<Injected> => {
    const response = await server.server.app.inject({ method: 'POST', url: '/workflows/run', payload: { specification: echo, inputs: { image: { type: 'base64', value } } } });
    return { status: response.statusCode, body: JSON.parse(response.body) };
  };

  it('every special but valid file runs, at the size a viewer shows (EXIF orientation applied)', async () => {
    for (const special of specials) {
      const { status, body } = await runImage(special.bytes.toString('base64'));
      expect(status, `${special.name}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
      expect([body.outputs[0].original.width, body.outputs[0].original.height], special.name).toEqual(special.size);
      expect([body.outputs[0].small.width, body.outputs[0].small.height], special.name).toEqual([4, 4]);
    }
  });

  it('a 30,000 × 30,000 PNG bomb of a few KB is refused by the pixel limit before it is decoded', async () => {
    const bomb = solidPng(30_000);
    expect(bomb.length).toBeLessThan(200_000);
    const before = process.memoryUsage().rss;
    const { status, body } = await runImage(bomb.toString('base64'));
    expect(status).toBe(400);
    expect(body.message).toContain('input "image" is 30000×30000 = 900000000 pixels, over the limit of 40000000');
    expect(body.message).toContain('it was not decoded');
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024); // 900 MB of pixels were never allocated
  });

  it(`${fuzzSettings.imageRuns} corrupted payloads: each runs at a sane size or is a 400 naming the input`, async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(1000), fc.array(fc.record({ op: fc.nat(6), at: fc.nat(), length: fc.nat(), byte: fc.nat(255) }), { minLength: 1, maxLength: 3 }), fc.nat(9), async (base, corruptions, encoding) => {
        count++;
        let bytes = specials[base % specials.length]!.bytes;
        for (const corruption of corruptions) bytes = corrupt(bytes, corruption);
        // Most go as base64; some as a data: URL, some as text that is not base64 at all.
        const value = encoding === 0 ? `data:image/png;base64,${bytes.toString('base64')}` : encoding === 1 ? bytes.toString('latin1') : bytes.toString('base64');
        const response = await runImage(value);
        const outcome = response.status === 200 ? '200' : `${response.status} ${response.body.error_type}${response.body.inner_error_type ? `/${response.body.inner_error_type}` : ''}`;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        expect(response.status, JSON.stringify(response.body).slice(0, 400)).not.toBeGreaterThanOrEqual(500);
        if (response.status === 200) {
          const { width, height } = response.body.outputs[0].original;
          expect(width * height).toBeGreaterThan(0);
          expect(width * height).toBeLessThanOrEqual(40_000_000);
        } else {
          expect(response.status).toBe(400);
          expectLocatedError(response, `${bytes.length} bytes`);
          expect(`${response.body.message} ${response.body.context}`).toMatch(/input "image"|property "image"/);
        }
      }),
      { seed: fuzzSettings.seed, numRuns: fuzzSettings.imageRuns, endOnFailure: true },
    );
    expect(count).toBe(fuzzSettings.imageRuns);
    expect(outcomes.get('200') ?? 0).toBeGreaterThan(0);
    expect(outcomes.size).toBeGreaterThan(1);
  });
});
