import zlib from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors.js';
import { toParentCoordinates } from './detections.js';
import { VadImage } from './image.js';
import { makePng } from './__fixtures__/test-blocks.js';

/** A 1-bit grayscale PNG of zeros: a few hundred KB on disk, `size`² pixels when decoded. */
function blackPng(size: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 1; // bit depth 1, color type 0 (gray)
  const rows = Buffer.alloc((1 + Math.ceil(size / 8)) * size);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

describe('VadImage', () => {
  it('reads the size from the header and decodes RGB lazily, once', async () => {
    const image = await VadImage.fromBytes(await makePng(6, 4, [10, 20, 30]));
    expect([image.width, image.height]).toEqual([6, 4]);
    const pixels = await image.pixels();
    expect(pixels.data.length).toBe(6 * 4 * 3);
    expect([...pixels.data.subarray(0, 3)]).toEqual([10, 20, 30]);
    expect(await image.pixels()).toBe(pixels);
  });

  it('expands grayscale and drops alpha', async () => {
    const gray = await sharp({ create: { width: 3, height: 3, channels: 4, background: { r: 90, g: 90, b: 90, alpha: 1 } } }).toColourspace('b-w').png().toBuffer();
    const { data } = await (await VadImage.fromBytes(gray)).pixels();
    expect(data.length).toBe(27);
    expect([...data.subarray(0, 3)]).toEqual([90, 90, 90]);
  });

  it('keeps the original bytes when encoding to the same format', async () => {
    const png = await makePng(5, 5);
    const image = await VadImage.fromBytes(png);
    expect(Buffer.compare(await image.encode('png'), Buffer.from(png))).toBe(0);
    const jpeg = await image.encode('jpeg');
    expect((await sharp(jpeg).metadata()).format).toBe('jpeg');
  });

  it('crops with lineage and exact pixels', async () => {
    const data = new Uint8Array(4 * 3 * 3).map((_, i) => i);
    const image = VadImage.fromPixels({ data, width: 4, height: 3 });
    const crop = await image.crop({ x: 1, y: 1, width: 2, height: 2 });
    expect(crop.lineage).toEqual({ parentId: image.id, offsetX: 1, offsetY: 1, parentWidth: 4, parentHeight: 3 });
    expect([...(await crop.pixels()).data]).toEqual([15, 16, 17, 18, 19, 20, 27, 28, 29, 30, 31, 32]);
    await expect(image.crop({ x: 9, y: 0, width: 2, height: 2 })).rejects.toThrow(/outside the 4×3 image/);
    // A crop of the crop knows its parent (the crop) and the chain's first image, with the offsets added.
    const inner = await crop.crop({ x: 1, y: 0, width: 1, height: 2 });
    expect(inner.lineage).toMatchObject({ parentId: crop.id, offsetX: 1, offsetY: 0, root: { parentId: image.id, offsetX: 2, offsetY: 1, parentWidth: 4, parentHeight: 3 } });
    const detections = { image: { width: 1, height: 2 }, predictions: [{ x: 0.5, y: 1, width: 1, height: 2, confidence: 1, class: 'a', class_id: 0, detection_id: 'd', parent_id: inner.id }], lineage: inner.lineage };
    expect(toParentCoordinates(detections)).toMatchObject({ image: { width: 4, height: 3 }, predictions: [{ x: 2.5, y: 2, parent_id: image.id }] });
  });

  it('rejects bytes that are no image, truncated images and images over the pixel limit', async () => {
    const notImage = await VadImage.fromBytes(new TextEncoder().encode('hello'), { name: 'upload.jpg' }).catch((e: unknown) => e);
    expect(InvalidInputError.isInstance(notImage)).toBe(true);
    expect((notImage as Error).message).toMatch(/upload.jpg is not a decodable image/);
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } }).jpeg().toBuffer();
    const truncated = VadImage.fromBytes(jpeg.subarray(0, jpeg.length / 2)).then((image) => image.pixels());
    await expect(truncated).rejects.toThrow(/not a decodable image|could not be decoded/);
    // A header that reads but pixels that do not: the error still names what the image is to the user.
    const noisy = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 50 } } }).jpeg().toBuffer();
    const named = VadImage.fromBytes(noisy.subarray(0, noisy.length / 2), { name: 'input "part"' }).then((image) => image.pixels());
    await expect(named).rejects.toThrow(/^input "part" could not be decoded/);
    await expect(VadImage.fromBytes(await makePng(100, 100), { maxPixels: 5000 })).rejects.toThrow(/100×100 = 10000 pixels, over the limit of 5000/);
    expect(() => VadImage.fromPixels({ data: new Uint8Array(5), width: 2, height: 2 })).toThrow(/expected 2×2×3 = 12/);
    // Over sharp's own 268-megapixel guard too: still our message, naming the size.
    const huge = blackPng(30000);
    await expect(VadImage.fromBytes(huge, { name: 'bomb.png' })).rejects.toThrow(/bomb.png is 30000×30000 = 900000000 pixels, over the limit of 64000000/);
  });
});
