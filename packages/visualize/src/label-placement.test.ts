import { describe, expect, it } from 'vitest';
import { separateLabels, type LabelRect } from './label-placement.js';

const overlap = (a: LabelRect, b: LabelRect) => a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;

describe('separateLabels', () => {
  it('moves a later label above the one it covers and keeps the first in place', () => {
    const first = { left: 10, top: 50, width: 60, height: 20 };
    const second = { left: 30, top: 55, width: 60, height: 20 };
    separateLabels([first, second], 200, 200);
    expect(first).toEqual({ left: 10, top: 50, width: 60, height: 20 });
    expect(second.top).toBe(30);
    expect(overlap(first, second)).toBe(false);
  });

  it('moves below when there is no room above, and leaves labels that do not touch alone', () => {
    const first = { left: 0, top: 5, width: 60, height: 20 };
    const second = { left: 20, top: 10, width: 60, height: 20 };
    const apart = { left: 150, top: 150, width: 40, height: 20 };
    separateLabels([first, second, apart], 200, 200);
    expect(second.top).toBe(25);
    expect(apart).toEqual({ left: 150, top: 150, width: 40, height: 20 });
  });

  it('spreads a stack of labels on one anchor so none overlaps', () => {
    const rects = Array.from({ length: 5 }, () => ({ left: 10, top: 100, width: 50, height: 15 }));
    separateLabels(rects, 200, 200);
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) expect(overlap(rects[i]!, rects[j]!)).toBe(false);
  });
});
