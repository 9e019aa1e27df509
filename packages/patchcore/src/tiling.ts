import { InvalidInputError, sliceLayout, type SliceRegion } from '@vad/core';
import type { ImageFeatures } from './feature-extraction.js';

/**
 * Smallest tile per backbone: the deepest tap's cells see about this many pixels (their effective
 * receptive field), so a smaller tile would leave most of every cell's view in the padding.
 */
export const minimumTileSide: Readonly<Record<string, number>> = { inception_v3: 128, mobilenet_v2: 96, resnet50: 96 };

/** Checks a tile geometry for a backbone, naming a tile that is too small or an overlap out of range. */
export function checkTiling(backboneId: string, tile: number, overlap: number): void {
  const minimum = minimumTileSide[backboneId] ?? 96;
  if (!(Number.isInteger(tile) && tile >= minimum)) {
    throw new InvalidInputError({ message: `tiles of ${tile} px are smaller than ${backboneId}'s receptive field (${minimum} px); choose a tile of at least ${minimum} px`, property: 'geometry.tile' });
  }
  if (!(overlap >= 0 && overlap < 0.75)) throw new InvalidInputError({ message: `the tile overlap must be in [0, 0.75), got ${overlap}`, property: 'geometry.overlap' });
}

/** The tiles of a `width × height` image (sides clamped to the image; one tile when it fits in one). */
export function tileRegions(width: number, height: number, tile: number, overlap: number): SliceRegion[] {
  return sliceLayout({ imageWidth: width, imageHeight: height, sliceWidth: tile, sliceHeight: tile, overlapRatioWidth: overlap, overlapRatioHeight: overlap });
}

/**
 * The tiles' feature grids as one grid over the whole image, at the tiles' cell size. Each cell of
 * the stitched grid takes its features from the tile in which it lies farthest from a border (tile
 * borders see padding, so their features are the least like the bank's), not an average: features
 * stay real patch features, and the bank, scoring and map treat a tiled image as any other.
 */
export function stitchTileFeatures(tiles: readonly ImageFeatures[], regions: readonly SliceRegion[], width: number, height: number, dimensions: number): ImageFeatures {
  const first = tiles[0]!;
  const cellWidth = regions[0]!.width / first.gridWidth;
  const cellHeight = regions[0]!.height / first.gridHeight;
  const gridWidth = Math.max(1, Math.round(width / cellWidth));
  const gridHeight = Math.max(1, Math.round(height / cellHeight));
  const rows = new Float32Array(gridWidth * gridHeight * dimensions);
  for (let row = 0; row < gridHeight; row++) {
    const y = ((row + 0.5) * height) / gridHeight;
    for (let column = 0; column < gridWidth; column++) {
      const x = ((column + 0.5) * width) / gridWidth;
      let best = 0;
      let bestMargin = -Infinity;
      regions.forEach((region, index) => {
        const margin = Math.min(x - region.x, region.x + region.width - x, y - region.y, region.y + region.height - y);
        if (margin > bestMargin) [best, bestMargin] = [index, margin];
      });
      const region = regions[best]!;
      const tile = tiles[best]!;
      const localColumn = Math.min(tile.gridWidth - 1, Math.max(0, Math.floor(((x - region.x) / region.width) * tile.gridWidth)));
      const localRow = Math.min(tile.gridHeight - 1, Math.max(0, Math.floor(((y - region.y) / region.height) * tile.gridHeight)));
      const source = (localRow * tile.gridWidth + localColumn) * dimensions;
      rows.set(tile.rows.subarray(source, source + dimensions), (row * gridWidth + column) * dimensions);
    }
  }
  return { rows, gridWidth, gridHeight };
}
