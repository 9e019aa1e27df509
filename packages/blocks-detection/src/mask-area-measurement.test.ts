import { encodeMask, type Detection, type Detections } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { maskAreaMeasurement } from './mask-area-measurement.js';

const base = { confidence: 0.9, class: 'part', class_id: 0, parent_id: 'image' };
const run = async (predictions: Detection[], pixels_per_unit: number) => {
  const instance = await maskAreaMeasurement.create({ stepName: 'areas', properties: {} } as never);
  const detections: Detections = { image: { width: 40, height: 30 }, predictions };
  return ((await instance.run({ predictions: detections, pixels_per_unit } as never, {} as never)) as { predictions: Detections }).predictions.predictions;
};

describe('mask_area_measurement', () => {
  it('counts mask pixels (holes excluded), fills polygons as fillPoly does, and falls back to the box', async () => {
    // A 10 × 8 rectangle at (5, 4) with a 2 × 3 hole: 80 − 6 = 74 pixels.
    const mask = new Uint8Array(40 * 30);
    for (let y = 4; y < 12; y++) for (let x = 5; x < 15; x++) mask[y * 40 + x] = 1;
    for (let y = 6; y < 9; y++) for (let x = 8; x < 10; x++) mask[y * 40 + x] = 0;
    const withRle: Detection = { ...base, detection_id: 'rle', x: 10, y: 8, width: 10, height: 8, rle_mask: encodeMask({ data: mask, width: 40, height: 30 }, 40, 30) };
    // An outline through pixel centres x 20..29, y 2..6: 10 × 5 = 50 pixels (a shoelace area would say 36).
    const points = [{ x: 20, y: 2 }, { x: 29, y: 2 }, { x: 29, y: 6 }, { x: 20, y: 6 }];
    const withPoints: Detection = { ...base, detection_id: 'polygon', x: 25, y: 4.5, width: 10, height: 5, points };
    // A right triangle with legs of 6 pixel centres (0..5): rows 0..5 hold 1..6 pixels, 21 in all.
    const triangle: Detection = { ...base, detection_id: 'triangle', x: 3, y: 23, width: 6, height: 6, points: [{ x: 0, y: 20 }, { x: 5, y: 25 }, { x: 0, y: 25 }] };
    const boxOnly: Detection = { ...base, detection_id: 'box', x: 30, y: 20, width: 7.5, height: 4 };
    const [rle, polygon, tri, box] = await run([withRle, withPoints, triangle, boxOnly], 2);
    expect(rle!.area_px).toBe(74);
    expect(polygon!.area_px).toBe(50);
    expect(tri!.area_px).toBe(21);
    expect(box!.area_px).toBeCloseTo(30, 10);
    expect(rle!.area_converted).toBeCloseTo(74 / 4, 10);
    expect(box!.area_converted).toBeCloseTo(7.5, 10);
  });

  it('leaves areas unconverted for pixels_per_unit ≤ 0 and uses the box when a mask is empty', async () => {
    const empty: Detection = { ...base, detection_id: 'empty', x: 5, y: 5, width: 4, height: 3, rle_mask: encodeMask({ data: new Uint8Array(0), width: 0, height: 0 }, 40, 30) };
    const [result] = await run([empty], 0);
    expect(result!.area_px).toBe(12);
    expect(result!.area_converted).toBe(12);
  });
});
