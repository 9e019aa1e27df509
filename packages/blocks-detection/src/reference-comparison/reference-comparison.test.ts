import { InvalidInputError, VadImage } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { estimateTranslation } from './alignment.js';
import { growWhite, shrinkWhite, type BinaryImage } from './binary-image.js';
import { compareToReference } from './compare-to-reference.js';
import { connectedComponents } from './connected-components.js';

const size = 256;

/** A synthetic board: white substrate with black horizontal and vertical traces and pads. */
function board(shiftX = 0, shiftY = 0, defect?: { x: number; y: number; width: number; height: number; value: number }): VadImage {
  const data = new Uint8Array(size * size * 3).fill(255);
  const paint = (x0: number, y0: number, w: number, h: number, value: number) => {
    for (let y = Math.max(0, y0); y < Math.min(size, y0 + h); y++) data.fill(value, (y * size + Math.max(0, x0)) * 3, (y * size + Math.min(size, x0 + w)) * 3);
  };
  for (let i = 0; i < 6; i++) paint(20 + shiftX, 20 + i * 38 + shiftY, 200, 8, 0); // traces
  for (let i = 0; i < 4; i++) paint(30 + i * 55 + shiftX, 10 + shiftY, 6, 230, 0);
  paint(150 + shiftX, 150 + shiftY, 30, 30, 0); // a pad
  if (defect) paint(defect.x, defect.y, defect.width, defect.height, defect.value);
  return VadImage.fromPixels({ data, width: size, height: size });
}

const binary = (data: number[], width: number): BinaryImage => ({ data: Uint8Array.from(data), width, height: data.length / width });

describe('binary morphology (sharp/libvips)', () => {
  it('growWhite and shrinkWhite act on white regions by the radius', async () => {
    const dot = new Array(49).fill(0);
    dot[24] = 255; // centre of 7×7
    const grown = await growWhite(binary(dot, 7), 1);
    expect(grown.data.filter((v) => v).length).toBe(9);
    const shrunk = await shrinkWhite(grown, 1);
    expect([...shrunk.data.entries()].filter(([, v]) => v).map(([i]) => i)).toEqual([24]);
  });
});

describe('connectedComponents', () => {
  it('labels 8-connected regions, including ones joined only below (U shapes)', () => {
    const width = 6;
    // a U (joined at the bottom row), a diagonal pair and a lone pixel
    const mask = Uint8Array.from([
      1, 0, 1, 0, 0, 1,
      1, 0, 1, 0, 0, 0,
      1, 1, 1, 0, 1, 0,
      0, 0, 0, 0, 0, 1,
    ]);
    const { components } = connectedComponents(mask, width, 4);
    expect(components.map((c) => [c.x1, c.y1, c.x2, c.y2, c.area])).toEqual([[0, 0, 2, 2, 7], [5, 0, 5, 0, 1], [4, 2, 5, 3, 2]]);
  });
});

describe('compareToReference', () => {
  it('finds the shift between two boards', async () => {
    const { binarize } = await import('./binary-image.js');
    const test = await binarize(board(), 128);
    const reference = await binarize(board(3, -2), 128);
    expect(estimateTranslation(test, reference, 6)).toEqual({ dx: 3, dy: -2 });
  });

  it('finds a missing-copper cut and a spur on a shifted reference, and nothing else', async () => {
    const cut = { x: 100, y: 58, width: 6, height: 8, value: 255 }; // white gap across the second trace (y 58–66)
    const spur = board(0, 0, cut);
    // add a spur: a black blob on the substrate
    const { data } = await spur.pixels();
    for (let y = 200; y < 208; y++) data.fill(0, (y * size + 230) * 3, (y * size + 238) * 3);
    const reference = board(2, 1);
    const result = await compareToReference(spur, reference, { alignment: 'piecewise' });
    const boxes = result.predictions.predictions.filter((p) => p.confidence > 0.2);
    expect(boxes).toHaveLength(2);
    const centres = boxes.map((p) => [Math.round(p.x), Math.round(p.y)]).sort((a, b) => a[0]! - b[0]!);
    expect(centres[0]![0]).toBeCloseTo(103, -1);
    expect(centres[0]![1]).toBeCloseTo(62, -1);
    expect(centres[1]![0]).toBeCloseTo(234, -1);
    expect(centres[1]![1]).toBeCloseTo(204, -1);
    expect(result.alignment).toEqual({ dx: 2, dy: 1 });
    expect(result.anomalyMap.kind).toBe('anomaly_map');
    expect(result.anomalyMap.data.length).toBe(size * size);
    expect(result.anomalyMap.data[62 * size + 103]).toBeGreaterThan(0.5);
    expect(result.anomalyMap.data[120 * size + 120]).toBe(0);
  });

  it('without alignment, a shifted reference produces edge differences that alignment removes', async () => {
    const reference = board(2, 1);
    const unaligned = await compareToReference(board(), reference, { alignment: 'none', tolerance: 1 });
    const aligned = await compareToReference(board(), reference, { alignment: 'translation', tolerance: 1 });
    expect(unaligned.predictions.predictions.length).toBeGreaterThan(0);
    expect(aligned.predictions.predictions).toHaveLength(0);
  });

  it('rejects images of different sizes', async () => {
    const small = VadImage.fromPixels({ data: new Uint8Array(10 * 10 * 3), width: 10, height: 10 });
    await expect(compareToReference(board(), small)).rejects.toThrowError(/256×256 but the reference is 10×10/);
    await compareToReference(board(), small).catch((error) => expect(InvalidInputError.isInstance(error)).toBe(true));
  });
});
