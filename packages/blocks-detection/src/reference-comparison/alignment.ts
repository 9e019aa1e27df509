import type { BinaryImage } from './binary-image.js';

export interface Translation {
  dx: number;
  dy: number;
}

/**
 * Count of differing pixels between `test(x, y)` and `reference(x + dx, y + dy)` over a region,
 * sampling every `step`-th row and column; reference coordinates are clamped at the border.
 */
function mismatch(test: BinaryImage, reference: BinaryImage, dx: number, dy: number, region: { x0: number; y0: number; x1: number; y1: number }, step: number): number {
  const { width, height } = test;
  let count = 0;
  for (let y = region.y0; y < region.y1; y += step) {
    const ry = Math.min(height - 1, Math.max(0, y + dy));
    const testRow = y * width;
    const referenceRow = ry * width;
    for (let x = region.x0; x < region.x1; x += step) {
      const rx = Math.min(width - 1, Math.max(0, x + dx));
      if (test.data[testRow + x] !== reference.data[referenceRow + rx]) count++;
    }
  }
  return count;
}

function bestShift(test: BinaryImage, reference: BinaryImage, around: Translation, radius: number, region: { x0: number; y0: number; x1: number; y1: number }, step: number): Translation {
  let best = { ...around };
  // The starting shift wins ties, so blank regions keep it.
  let bestCount = mismatch(test, reference, around.dx, around.dy, region, step);
  for (let dy = around.dy - radius; dy <= around.dy + radius; dy++) {
    for (let dx = around.dx - radius; dx <= around.dx + radius; dx++) {
      if (dx === around.dx && dy === around.dy) continue;
      const count = mismatch(test, reference, dx, dy, region, step);
      if (count < bestCount) {
        bestCount = count;
        best = { dx, dy };
      }
    }
  }
  return best;
}

/**
 * The integer translation that best lays `reference` on `test` (fewest differing pixels,
 * exhaustive within ±maxShift on every fourth pixel, refined ±1 on every second). Binary images are compared exactly,
 * so this is robust where phase correlation is fooled by the periodic traces of a PCB.
 */
export function estimateTranslation(test: BinaryImage, reference: BinaryImage, maxShift: number): Translation {
  const margin = Math.min(maxShift, Math.floor(Math.min(test.width, test.height) / 4));
  const region = { x0: margin, y0: margin, x1: test.width - margin, y1: test.height - margin };
  // coarse (every 4th pixel) over the whole range, then ±1 on every 2nd pixel
  const coarse = bestShift(test, reference, { dx: 0, dy: 0 }, maxShift, region, 4);
  return bestShift(test, reference, coarse, 1, region, 2);
}

export interface PiecewiseAlignment {
  /** The reference resampled onto the test image's pixels. */
  aligned: BinaryImage;
  global: Translation;
  /** One translation per tile, row by row. */
  tiles: Translation[];
}

/**
 * Piecewise-translation alignment: a global shift, then, per tile, the best shift within
 * ±tileShift of it. Follows small rotations, scale differences and local warps that one
 * translation cannot; a defect is too small to pull a whole tile.
 */
export function alignPiecewise(test: BinaryImage, reference: BinaryImage, options: { maxShift: number; tileSize: number; tileShift: number }): PiecewiseAlignment {
  const global = options.maxShift > 0 ? estimateTranslation(test, reference, options.maxShift) : { dx: 0, dy: 0 };
  const { width, height } = test;
  const aligned = new Uint8Array(width * height);
  const tiles: Translation[] = [];
  for (let y0 = 0; y0 < height; y0 += options.tileSize) {
    for (let x0 = 0; x0 < width; x0 += options.tileSize) {
      const region = { x0, y0, x1: Math.min(width, x0 + options.tileSize), y1: Math.min(height, y0 + options.tileSize) };
      const shift = options.tileShift > 0 ? bestShift(test, reference, global, options.tileShift, region, 2) : global;
      tiles.push(shift);
      for (let y = region.y0; y < region.y1; y++) {
        const ry = Math.min(height - 1, Math.max(0, y + shift.dy));
        for (let x = region.x0; x < region.x1; x++) {
          aligned[y * width + x] = reference.data[ry * width + Math.min(width - 1, Math.max(0, x + shift.dx))]!;
        }
      }
    }
  }
  return { aligned: { data: aligned, width, height }, global, tiles };
}
