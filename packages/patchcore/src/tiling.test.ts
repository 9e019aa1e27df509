import { InvalidInputError } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { checkTiling, stitchTileFeatures, tileRegions } from './tiling.js';

describe('tiling', () => {
  it('lays out overlapping tiles that cover the image, and one tile when the image fits in one', () => {
    const regions = tileRegions(640, 480, 256, 0.25);
    expect(regions.every((region) => region.width === 256 && region.height === 256)).toBe(true);
    expect(Math.max(...regions.map((region) => region.x + region.width))).toBe(640);
    expect(Math.max(...regions.map((region) => region.y + region.height))).toBe(480);
    expect(tileRegions(200, 150, 256, 0.25)).toEqual([{ x: 0, y: 0, width: 200, height: 150 }]);
  });

  it('stitches each cell from a tile that covers it, at the right place', () => {
    // Each tile's cell holds its own global position (column, row) in the image's cell grid.
    const cell = 16;
    const [width, height, tile] = [400, 272, 128];
    const regions = tileRegions(width, height, tile, 0.25);
    const grid = tile / cell;
    const tiles = regions.map((region) => {
      const rows = new Float32Array(grid * grid * 2);
      for (let row = 0; row < grid; row++) {
        for (let column = 0; column < grid; column++) {
          rows[(row * grid + column) * 2] = region.x / cell + column;
          rows[(row * grid + column) * 2 + 1] = region.y / cell + row;
        }
      }
      return { rows, gridWidth: grid, gridHeight: grid };
    });
    const stitched = stitchTileFeatures(tiles, regions, width, height, 2);
    expect([stitched.gridWidth, stitched.gridHeight]).toEqual([Math.round(width / cell), Math.round(height / cell)]);
    for (let row = 0; row < stitched.gridHeight; row++) {
      for (let column = 0; column < stitched.gridWidth; column++) {
        // Tile origins are not all multiples of the cell, so a cell may come from a tile whose grid is offset by up to half a cell.
        expect(Math.abs(stitched.rows[(row * stitched.gridWidth + column) * 2]! - column)).toBeLessThanOrEqual(0.5);
        expect(Math.abs(stitched.rows[(row * stitched.gridWidth + column) * 2 + 1]! - row)).toBeLessThanOrEqual(0.5);
      }
    }
  });

  it('refuses tiles smaller than the backbone sees, naming the size', () => {
    expect(() => checkTiling('inception_v3', 64, 0.25)).toThrow(InvalidInputError);
    expect(() => checkTiling('inception_v3', 64, 0.25)).toThrow(/tiles of 64 px .* at least 128 px/);
    expect(() => checkTiling('inception_v3', 256, 0.9)).toThrow(/overlap/);
    expect(() => checkTiling('inception_v3', 256, 0.25)).not.toThrow();
  });
});
