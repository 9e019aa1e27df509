import type { Detection, Detections } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { offsetDetections } from './detection-offset.js';
import { filterDetections } from './detections-filter.js';

const p = (cls: string, confidence: number, width: number, height: number, x = 50, y = 50): Detection => ({
  x, y, width, height, confidence, class: cls, class_id: cls === 'dog' ? 1 : 0, detection_id: `${cls}${confidence}`, parent_id: 'img',
});
const detections: Detections = { image: { width: 100, height: 100 }, predictions: [p('dog', 0.9, 40, 40), p('cat', 0.5, 10, 10), p('dog', 0.2, 90, 90)] };

describe('filterDetections', () => {
  it('filters by class, confidence, size and area share', () => {
    const ids = (options: Parameters<typeof filterDetections>[1]) => filterDetections(detections, options).predictions.map((d) => d.detection_id);
    expect(ids({ classes: ['dog'] })).toEqual(['dog0.9', 'dog0.2']);
    expect(ids({ excludeClasses: ['dog'] })).toEqual(['cat0.5']);
    expect(ids({ minConfidence: 0.4 })).toEqual(['dog0.9', 'cat0.5']);
    expect(ids({ minWidth: 20, maxHeight: 50 })).toEqual(['dog0.9']);
    expect(ids({ minArea: 101 })).toEqual(['dog0.9', 'dog0.2']);
    expect(ids({ maxAreaRatio: 0.5 })).toEqual(['dog0.9', 'cat0.5']);
    expect(ids({})).toHaveLength(3);
  });
});

describe('offsetDetections', () => {
  it('grows boxes about their centre and clips them to the image', () => {
    const grown = offsetDetections(detections, { offsetWidth: 10, offsetHeight: 20 });
    expect(grown.predictions[0]).toMatchObject({ x: 50, y: 50, width: 50, height: 60 });
    expect(grown.predictions[2]).toMatchObject({ width: 100, height: 100 }); // clipped
    const percent = offsetDetections(detections, { offsetWidth: 50, offsetHeight: 0, units: 'percent' });
    expect(percent.predictions[1]).toMatchObject({ width: 15, height: 10 });
  });
});
