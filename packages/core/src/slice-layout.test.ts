import { InvalidInputError } from './errors.js';
import { describe, expect, it } from 'vitest';
import { sliceLayout } from './slice-layout.js';

const layout = (imageWidth: number, imageHeight: number, slice = 640, overlap = 0.2) =>
  sliceLayout({ imageWidth, imageHeight, sliceWidth: slice, sliceHeight: slice, overlapRatioWidth: overlap, overlapRatioHeight: overlap });

describe('sliceLayout (Roboflow image_slicer@v2 semantics)', () => {
  it('cuts 1920×1080 into 640 px slices, pushing the border slices inward and dropping duplicates', () => {
    const regions = layout(1920, 1080);
    // x starts every 512 px: 0, 512, 1024, 1536 → 1536 is pushed back to 1280; y: 0, 512 → 440, 1024 → 440 (duplicate).
    expect([...new Set(regions.map((r) => r.x))]).toEqual([0, 512, 1024, 1280]);
    expect([...new Set(regions.map((r) => r.y))]).toEqual([0, 440]);
    expect(regions).toHaveLength(8);
    for (const r of regions) {
      expect(r.width).toBe(640);
      expect(r.height).toBe(640);
      expect(r.x + r.width).toBeLessThanOrEqual(1920);
      expect(r.y + r.height).toBeLessThanOrEqual(1080);
    }
  });

  it('covers every pixel of the image', () => {
    const regions = layout(1000, 700, 300, 0.1);
    const covered = new Uint8Array(1000 * 700);
    for (const r of regions) for (let y = r.y; y < r.y + r.height; y++) covered.fill(1, y * 1000 + r.x, y * 1000 + r.x + r.width);
    expect(covered.every((v) => v === 1)).toBe(true);
  });

  it('gives one slice when the image has exactly the slice size', () => {
    expect(layout(640, 640)).toEqual([{ x: 0, y: 0, width: 640, height: 640 }]);
  });

  it('shrinks a slice larger than the image to the image on that side, as Roboflow v2 does', () => {
    expect(layout(500, 800)).toEqual([
      { x: 0, y: 0, width: 500, height: 640 },
      { x: 0, y: 160, width: 500, height: 640 },
    ]);
    expect(layout(300, 200)).toEqual([{ x: 0, y: 0, width: 300, height: 200 }]);
  });
});

describe("sliceLayout with borders 'clip' (Roboflow image_slicer@v1 semantics)", () => {
  const clipped = (imageWidth: number, imageHeight: number, slice = 640, overlap = 0.2) =>
    sliceLayout({ imageWidth, imageHeight, sliceWidth: slice, sliceHeight: slice, overlapRatioWidth: overlap, overlapRatioHeight: overlap, borders: 'clip' });

  it('starts every stride from 0 and cuts the last slices at the border (1920×1080: 4 × 3 slices)', () => {
    const regions = clipped(1920, 1080);
    expect([...new Set(regions.map((r) => r.x))]).toEqual([0, 512, 1024, 1536]);
    expect([...new Set(regions.map((r) => r.y))]).toEqual([0, 512, 1024]);
    expect(regions).toHaveLength(12);
    expect(regions.at(-1)).toEqual({ x: 1536, y: 1024, width: 384, height: 56 });
    for (const r of regions) {
      expect(r.x + r.width).toBeLessThanOrEqual(1920);
      expect(r.y + r.height).toBeLessThanOrEqual(1080);
    }
  });

  it('makes an image smaller than one slice a single slice of the whole image', () => {
    expect(clipped(500, 300)).toEqual([{ x: 0, y: 0, width: 500, height: 300 }]);
  });
});
