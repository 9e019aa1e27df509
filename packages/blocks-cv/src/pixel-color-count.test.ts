import { VadImage } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { countColorPixels, parseTargetColor } from './pixel-color-count.js';

describe('parseTargetColor', () => {
  it('reads Roboflow’s forms', () => {
    expect(parseTargetColor('#431112')).toEqual([0x43, 0x11, 0x12]);
    expect(parseTargetColor('#f0a')).toEqual([255, 0, 170]);
    expect(parseTargetColor('(128, 32, 64)')).toEqual([128, 32, 64]);
    expect(parseTargetColor([18, 17, 67])).toEqual([18, 17, 67]);
    expect(parseTargetColor('red')).toBeUndefined();
    expect(parseTargetColor([1, 2])).toBeUndefined();
  });
});

describe('countColorPixels', () => {
  it('counts Roboflow’s 190 × 190 red square in a 200 × 200 black image', async () => {
    const data = new Uint8Array(200 * 200 * 3);
    for (let y = 0; y < 190; y++) for (let x = 0; x < 190; x++) data.set([255, 0, 0], (y * 200 + x) * 3);
    const image = VadImage.fromPixels({ data, width: 200, height: 200 });
    expect(await countColorPixels(image, [255, 0, 0], 10)).toBe(190 * 190);
    expect(await countColorPixels(image, [0, 0, 0], 10)).toBe(200 * 200 - 190 * 190);
  });

  it('includes both bounds of the tolerance in every band', async () => {
    // target 100 ± 10 in each band: 90 and 110 count, 89 and 111 do not, one band out is enough.
    const pixels = [[90, 100, 100], [110, 110, 90], [89, 100, 100], [100, 111, 100], [100, 100, 100]];
    const image = VadImage.fromPixels({ data: Uint8Array.from(pixels.flat()), width: 5, height: 1 });
    expect(await countColorPixels(image, [100, 100, 100], 10)).toBe(3);
    expect(await countColorPixels(image, [100, 100, 100], 0)).toBe(1);
  });
});
