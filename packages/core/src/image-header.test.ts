import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readImageSize } from './image-header.js';

const base = () => sharp({ create: { width: 37, height: 21, channels: 3, background: '#4a8' } });

describe('readImageSize', () => {
  it('reads PNG, baseline and progressive JPEG sizes as sharp does', async () => {
    for (const bytes of [await base().png().toBuffer(), await base().jpeg().toBuffer(), await base().jpeg({ progressive: true }).toBuffer()]) {
      const metadata = await sharp(bytes).metadata();
      expect(readImageSize(bytes)).toEqual({ width: metadata.width, height: metadata.height });
    }
  });

  it('leaves EXIF JPEGs (orientation may swap the sides) and other formats to sharp', async () => {
    expect(readImageSize(await base().jpeg().withMetadata({ orientation: 6 }).toBuffer())).toBeUndefined();
    expect(readImageSize(await base().webp().toBuffer())).toBeUndefined();
    expect(readImageSize(new TextEncoder().encode('not an image at all'))).toBeUndefined();
    expect(readImageSize(new Uint8Array([0xff, 0xd8, 0xff]))).toBeUndefined();
  });
});
