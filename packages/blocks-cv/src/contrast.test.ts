import { VadImage } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { enhanceContrast } from './contrast.js';
import { grayImage, levels, noiseImage } from './test-images.js';

const plain = { clipLimit: 0, contrastMultiplier: 1, normalizeBrightness: false };

describe('enhanceContrast (Roboflow’s contrast_enhancement@v1)', () => {
  it('stretches a two-level image to 0 and 255, and a ramp linearly (truncated)', async () => {
    expect(await levels(await enhanceContrast(grayImage([[100, 150], [150, 100]]), plain))).toEqual([[0, 255], [255, 0]]);
    // (v − 100) / 50 · 255 truncated: 110 → 51, 125 → 127.5 → 127.
    expect(await levels(await enhanceContrast(grayImage([[100, 110, 125, 150]]), plain))).toEqual([[0, 51, 127, 255]]);
  });

  it('applies the contrast multiplier about 128 and the midtone gamma, as Roboflow’s float32 steps', async () => {
    const ramp = grayImage([[100, 110, 125, 150]]);
    // 128 + (51 − 128) · 1.5 = 12.5 → 12; 127.5 → 127.25 → 127; 0 and 255 clip.
    expect(await levels(await enhanceContrast(ramp, { ...plain, contrastMultiplier: 1.5 }))).toEqual([[0, 12, 127, 255]]);
    const gamma = (v: number) => Math.trunc(Math.pow(v / 255, 1 / 1.3) * 255);
    expect(await levels(await enhanceContrast(ramp, { ...plain, normalizeBrightness: true }))).toEqual([[0, gamma(51), gamma(127.5), 255]]);
  });

  it('stretches each band on its own and leaves a flat band as it is', async () => {
    const data = new Uint8Array([10, 50, 7, 20, 60, 7]);
    const out = await (await enhanceContrast(VadImage.fromPixels({ data, width: 2, height: 1 }), plain)).pixels();
    expect([...out.data]).toEqual([0, 0, 7, 255, 255, 7]);
  });

  it('clip_limit takes numpy’s linear percentiles: 10 % of 0..9 is 0.9 … 8.1', async () => {
    const image = grayImage([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    const expected = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((v) => Math.trunc(Math.min(255, Math.max(0, Math.fround(Math.fround(Math.fround(v - 0.9) / Math.fround(8.1 - 0.9)) * 255)))));
    expect(await levels(await enhanceContrast(image, { ...plain, clipLimit: 10 }))).toEqual([expected]);
    expect(expected[0]).toBe(0);
    expect(expected[9]).toBe(255);
  });

  it('keeps size and lineage, and changes a noisy low-contrast image (Roboflow’s pipeline assertion)', async () => {
    const noise = noiseImage(40, 30);
    const { data } = await noise.pixels();
    const low = VadImage.fromPixels({ data: Uint8Array.from(data, (v) => 80 + (v % 40)), width: 40, height: 30 });
    const out = await enhanceContrast(low, { clipLimit: 0, contrastMultiplier: 1.5, normalizeBrightness: true });
    expect([out.width, out.height]).toEqual([40, 30]);
    expect((await out.pixels()).data).not.toEqual((await low.pixels()).data);
  });
});
