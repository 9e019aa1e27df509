import { InvalidInputError } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { checkScoring, combineViews, imageScoreOf, plainScoring } from './scoring.js';

describe('imageScoreOf', () => {
  const scores = Float32Array.from([0.1, 0.9, 0.3, 0.7, 0.2, 0.5, 0.4, 0.8, 0.6, 0.0]);

  it('is the highest patch score without a top share', () => {
    expect(imageScoreOf(scores, plainScoring)).toBeCloseTo(0.9, 6);
    expect(imageScoreOf(scores, { ...plainScoring, imageTopShare: 0 })).toBeCloseTo(0.9, 6);
  });

  it('is the mean of the top share of patch scores, at least one patch', () => {
    expect(imageScoreOf(scores, { ...plainScoring, imageTopShare: 0.3 })).toBeCloseTo((0.9 + 0.8 + 0.7) / 3, 6);
    expect(imageScoreOf(scores, { ...plainScoring, imageTopShare: 0.01 })).toBeCloseTo(0.9, 6);
    // The input is not reordered.
    expect(scores[0]).toBeCloseTo(0.1, 6);
  });

  it('a single hot patch moves a top-share score less than the maximum', () => {
    const hot = Float32Array.from(scores);
    hot[2] = 5;
    const share = { ...plainScoring, imageTopShare: 0.2 };
    expect(imageScoreOf(hot, plainScoring) - imageScoreOf(scores, plainScoring)).toBeCloseTo(4.1, 5);
    expect(imageScoreOf(hot, share) - imageScoreOf(scores, share)).toBeCloseTo((5 + 0.9 - 0.9 - 0.8) / 2, 5);
  });
});

describe('checkScoring', () => {
  it.each([1, -0.1, Number.NaN])('refuses an image top share of %d, naming it', (share) => {
    expect(() => checkScoring({ ...plainScoring, imageTopShare: share })).toThrow(InvalidInputError);
    expect(() => checkScoring({ ...plainScoring, imageTopShare: share })).toThrow(/image top share/);
  });

  it('adds the median of the best view to every patch', () => {
    const scores = combineViews([Float32Array.from([1, 2, 3]), Float32Array.from([4, 5, 6])], 0.5);
    expect(Array.from(scores)).toEqual([2, 3, 4]);
  });
});
