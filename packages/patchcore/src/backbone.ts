import type { Normalization } from '@vad/models';
import type { TapShape } from './patch-features.js';

/** A feature map: float32 NCHW data and its dims. */
export interface FeatureMap {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

/**
 * What PatchCore and PaDiM need from a network: how pixels are normalised and the feature maps of
 * its taps (shallowest first) for a batch of images of one size. `tapShapes` are the maps at the
 * square `inputSize`, recorded in model files to tell backbones apart.
 */
export interface FeatureBackbone {
  /** Stable id recorded in model files (e.g. `inception_v3`); loading a model checks it. */
  readonly id: string;
  readonly inputSize: number;
  readonly normalization: Normalization;
  readonly taps: readonly string[];
  readonly tapShapes: readonly TapShape[];
  /** `[batch, 3, height, width]` normalised input → one NCHW map per tap. */
  run(input: Float32Array, dims: readonly [number, number, number, number]): Promise<FeatureMap[]>;
  dispose(): Promise<void>;
}

/**
 * How images are sized for the backbone. `square`: stretched to `size × size` (one grid for every
 * image; PaDiM needs it). `scale`: resized by `factor`, aspect kept, each side at least `minSide`
 * (images keep their physical scale — for crops of one camera at one distance, like magnetic tiles).
 * `fit`: the longer side resized to `longSide`, aspect kept, the shorter at least `minSide` (a
 * 600 × 800 photo is not squashed into a square, so thin defects keep their width).
 * `tile`: the image at its own size (shrunk, aspect kept, only if its longer side exceeds
 * `maxSide`) is cut into `tile × tile` tiles overlapping by `overlap` of a tile (the slice layout
 * of @vad/core), each tile goes through the backbone, and the tiles' feature grids are stitched
 * into one grid of the whole image (tileFeatureGrid): small defects on a large part keep their pixels.
 */
export type InputGeometry =
  | { readonly mode: 'square'; readonly size: number }
  | { readonly mode: 'scale'; readonly factor: number; readonly minSide: number }
  | { readonly mode: 'fit'; readonly longSide: number; readonly minSide: number }
  | { readonly mode: 'tile'; readonly tile: number; readonly overlap: number; readonly maxSide?: number };

/** The backbone input size for an image of `width × height`. */
export function inputSizeFor(geometry: InputGeometry, width: number, height: number): { width: number; height: number } {
  if (geometry.mode === 'square') return { width: geometry.size, height: geometry.size };
  if (geometry.mode === 'tile') {
    const factor = Math.min(1, (geometry.maxSide ?? Infinity) / Math.max(width, height));
    return { width: Math.round(width * factor), height: Math.round(height * factor) };
  }
  if (geometry.mode === 'fit') {
    const factor = geometry.longSide / Math.max(width, height);
    return { width: Math.max(geometry.minSide, Math.round(width * factor)), height: Math.max(geometry.minSide, Math.round(height * factor)) };
  }
  return {
    width: Math.max(geometry.minSide, Math.round(width * geometry.factor)),
    height: Math.max(geometry.minSide, Math.round(height * geometry.factor)),
  };
}
