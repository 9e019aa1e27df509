import { describe, expect, it } from 'vitest';
import { isDetections } from './values.js';

describe('isDetections', () => {
  it('tells detections from a classification, which also has an image and a predictions list', () => {
    const image = { width: 4, height: 4 };
    expect(isDetections({ image, predictions: [] })).toBe(true);
    expect(isDetections({ image, predictions: [{ class: 'dog', class_id: 1, confidence: 0.9 }], top: 'dog', prediction_type: 'classification' })).toBe(false);
    expect(isDetections({ predictions: [] })).toBe(false);
  });
});
