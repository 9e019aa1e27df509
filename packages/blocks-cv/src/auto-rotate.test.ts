import { rotateImage, VadImage } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { autoRotate, type AutoRotateOptions } from './auto-rotate.js';

/** Roboflow's test pictures: white bars 4 pixels wide every 40 on black, 800 × 600. */
function stripes(direction: 'vertical' | 'horizontal' | 'grid', width = 800, height = 600): VadImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bar = (direction !== 'horizontal' && x % 40 <= 3) || (direction !== 'vertical' && y % 40 <= 3);
      if (bar) data.fill(255, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return VadImage.fromPixels({ data, width, height });
}
const defaults: AutoRotateOptions = { targetOrientation: 'vertical', skipBelowDegrees: 0.4, maxCorrectionDegrees: 90, internalResolution: 1000 };

describe('autoRotate (Roboflow auto_rotate_on_edges)', () => {
  it('cancels a rotation of vertical stripes: +5° gives −5°, −12° gives +12°', async () => {
    expect((await autoRotate(await rotateImage(stripes('vertical'), 5), defaults)).angle).toBeCloseTo(-5, 0);
    const { angle } = await autoRotate(await rotateImage(stripes('vertical'), -12), defaults);
    expect(Math.abs(angle - 12)).toBeLessThan(0.5);
  });

  it('turns stripes rotated 90° back by ±90° and expands the canvas as OpenCV does', async () => {
    const turned = await rotateImage(stripes('vertical'), -90);
    expect([turned.width, turned.height]).toEqual([600, 800]);
    const { angle, image } = await autoRotate(turned, defaults);
    expect(Math.min(Math.abs(angle - 90), Math.abs(angle + 90))).toBeLessThan(0.5);
    expect([image.width, image.height]).toEqual([800, 600]);

    const skewed = await rotateImage(stripes('vertical'), 5);
    const result = await autoRotate(skewed, defaults);
    const radians = (result.angle * Math.PI) / 180;
    expect(result.image.width).toBe(Math.trunc(skewed.height * Math.abs(Math.sin(radians)) + skewed.width * Math.abs(Math.cos(radians))));
    expect(result.image.height).toBe(Math.trunc(skewed.height * Math.abs(Math.cos(radians)) + skewed.width * Math.abs(Math.sin(radians))));
  });

  it('aligns horizontal stripes to horizontal, and a grid to the nearer axis', async () => {
    const horizontal = await autoRotate(await rotateImage(stripes('horizontal'), 7), { ...defaults, targetOrientation: 'horizontal' });
    expect(Math.abs(horizontal.angle + 7)).toBeLessThan(0.5);
    const grid = await autoRotate(await rotateImage(stripes('grid'), 8), { ...defaults, targetOrientation: 'either' });
    expect(Math.abs(grid.angle + 8)).toBeLessThan(0.5);
  });

  it('leaves flat, straight or out-of-range images alone (the same image, angle 0)', async () => {
    const flat = VadImage.fromPixels({ data: new Uint8Array(300 * 300 * 3).fill(128), width: 300, height: 300 });
    expect(await autoRotate(flat, defaults)).toEqual({ image: flat, angle: 0 });
    const straight = stripes('vertical');
    expect(await autoRotate(straight, { ...defaults, skipBelowDegrees: 2 })).toEqual({ image: straight, angle: 0 });
    const far = await rotateImage(stripes('vertical'), 20);
    const declined = await autoRotate(far, { ...defaults, maxCorrectionDegrees: 10 });
    expect(declined.image).toBe(far);
    expect(declined.angle).toBe(0);
    expect(Math.abs((await autoRotate(far, { ...defaults, maxCorrectionDegrees: 45 })).angle + 20)).toBeLessThan(0.5);
  });

  it('finds the angle on a smaller working copy too', async () => {
    const { angle } = await autoRotate(await rotateImage(stripes('vertical'), 5), { ...defaults, internalResolution: 500 });
    expect(Math.abs(angle + 5)).toBeLessThan(0.5);
  });

  it('names target_orientation when it is not one of the three', async () => {
    await expect(autoRotate(stripes('vertical'), { ...defaults, targetOrientation: 'diagonal' as never }, { stepName: 'deskew' })).rejects.toThrow(/target_orientation/);
  });
});
