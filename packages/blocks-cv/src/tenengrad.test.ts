import { describe, expect, it } from 'vitest';
import { tenengradFocus } from './tenengrad.js';
import { grayImage } from './test-images.js';

const none = { underexposedThreshold: 7, overexposedThreshold: 247, showZebraWarnings: false, showFocusPeaking: false, gridDivisions: 0, showCenterMarker: false };
const step = () => grayImage(Array.from({ length: 4 }, () => [0, 0, 0, 100, 100, 100]));

describe('tenengradFocus (Roboflow’s camera_focus@v2)', () => {
  it('a vertical step: Sobel gx = 4 · 100 on the two columns beside it, gy = 0; mean and box means by hand', async () => {
    const image = step();
    const result = await tenengradFocus(image, [[2, 0, 4, 4], [0, 0, 2, 4], [10, 10, 20, 20], [2.9, 0.5, 4.7, 4]], none);
    expect(result.focusMeasure).toBeCloseTo((2 * 400 ** 2 * 4) / 24, 6);
    // Boxes are truncated to integers as Roboflow's int(): the last is [2, 0, 4, 4] again.
    expect(result.bboxFocusMeasures).toEqual([160000, 0, null, 160000]);
    expect(result.image).toBe(image); // no overlay: the image itself
  });

  it('zebra stripes blend half-way to blue on dark pixels, peaking 0.6 to green on the sharp ones (float64, truncated)', async () => {
    const result = await tenengradFocus(step(), [], { ...none, showZebraWarnings: true, showFocusPeaking: true });
    const { data } = await result.image.pixels();
    const pixel = (x: number, y: number) => [...data.subarray((y * 6 + x) * 3, (y * 6 + x) * 3 + 3)];
    expect(pixel(0, 0)).toEqual([0, 0, 127]); // dark, flat: blue stripe only
    expect(pixel(2, 0)).toEqual([0, 153, 50]); // dark and sharp: blue, then green
    expect(pixel(3, 0)).toEqual([40, 193, 40]); // 100 · 0.4 + 153 in green
    expect(pixel(5, 0)).toEqual([100, 100, 100]);
  });

  it('draws the 3 × 3 grid at width · i // 3 and a white centre cross', async () => {
    const image = grayImage(Array.from({ length: 30 }, () => Array(30).fill(60)));
    const { data } = await (await tenengradFocus(image, [], { ...none, gridDivisions: 3, showCenterMarker: true })).image.pixels();
    const at = (x: number, y: number) => data[(y * 30 + x) * 3]!;
    expect([at(10, 3), at(20, 27), at(3, 10), at(27, 20)]).toEqual([128, 128, 128, 128]);
    expect([at(15, 15), at(15 - 8, 15), at(15, 15 + 8)]).toEqual([255, 255, 255]);
    expect(at(3, 3)).toBe(60);
  });
});
