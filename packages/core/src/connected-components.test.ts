import { describe, expect, it } from 'vitest';
import { labelComponents } from './connected-components.js';

describe('labelComponents', () => {
  it('joins diagonal neighbours and keeps separate blobs apart', () => {
    // prettier-ignore
    const mask = Uint8Array.from([
      1, 0, 0, 0, 1,
      0, 1, 0, 0, 1,
      0, 0, 0, 0, 0,
      1, 1, 0, 1, 0,
      0, 1, 1, 1, 0,
    ]);
    const { labels, components } = labelComponents(mask, 5, 5);
    expect(components.map((component) => component.area)).toEqual([2, 2, 6]);
    expect(components[2]).toMatchObject({ minX: 0, minY: 3, maxX: 3, maxY: 4 });
    expect(labels[0]).toBe(labels[6]);
    expect(labels[15]).toBe(labels[18]);
  });
});
