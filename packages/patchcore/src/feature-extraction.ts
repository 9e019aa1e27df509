import { loadSharp } from '@vad/core';
import { preprocessImages, type SessionOptions } from '@vad/models';
import { augmentImage, type Augmentation } from './augment.js';
import { inputSizeFor, type FeatureBackbone, type InputGeometry } from './backbone.js';
import { createPatchFeatureExtractor, type PatchFeatureExtractor } from './patch-features.js';
import { readImageRgb, resizeRgb, type LoadedImage } from './read-image.js';
import { checkTiling, stitchTileFeatures, tileRegions } from './tiling.js';

/** Patch features of one image (or one augmented view of it). */
export interface ImageFeatures {
  /** `gridHeight · gridWidth` rows of `dimensions` values, row-major over the grid. */
  readonly rows: Float32Array;
  readonly gridHeight: number;
  readonly gridWidth: number;
}

/** Backbone + patch-feature graph: images → patch rows. Shared by PatchCore and PaDiM. */
export interface FeaturePipeline {
  readonly backbone: FeatureBackbone;
  readonly geometry: InputGeometry;
  readonly dimensions: number;
  /** Reads an image file (or takes RGB pixels) at the size the geometry gives it, remembering its original size. */
  prepare(image: string | { data: Uint8Array; width: number; height: number }): Promise<LoadedImage>;
  /** Prepared images (any sizes; equal sizes are batched) → their patch features, in order. */
  extract(images: readonly Pick<LoadedImage, 'data' | 'width' | 'height'>[]): Promise<ImageFeatures[]>;
  dispose(): Promise<void>;
}

export async function createFeaturePipeline(
  backbone: FeatureBackbone,
  options: { poolSize?: number; tapWeights?: readonly number[]; geometry?: InputGeometry; contrast?: ContrastMode } & SessionOptions = {},
): Promise<FeaturePipeline> {
  const { geometry = { mode: 'square', size: backbone.inputSize }, contrast = 'none', ...rest } = options;
  if (geometry.mode === 'tile') checkTiling(backbone.id, geometry.tile, geometry.overlap);
  const patches: PatchFeatureExtractor = await createPatchFeatureExtractor(
    backbone.tapShapes.map((shape) => shape.channels),
    rest,
  );
  const dimensions = patches.dimensions;
  const extractSameSize = async (images: readonly Pick<LoadedImage, 'data' | 'width' | 'height'>[]): Promise<ImageFeatures[]> => {
    const { width, height } = images[0]!;
    const { tensor } = await preprocessImages(images, { width, height, normalization: backbone.normalization, kernel: 'cubic' });
    const maps = await backbone.run(tensor.data, [images.length, 3, height, width]);
    const { rows, gridHeight, gridWidth } = await patches.run(maps);
    const size = gridHeight * gridWidth * dimensions;
    return images.map((_, index) => ({ rows: rows.subarray(index * size, (index + 1) * size), gridHeight, gridWidth }));
  };
  /** One image in overlapping tiles (one batch), their grids stitched into the image's grid. */
  const extractTiled = async (image: Pick<LoadedImage, 'data' | 'width' | 'height'>, tile: number, overlap: number): Promise<ImageFeatures> => {
    const regions = tileRegions(image.width, image.height, tile, overlap);
    if (regions.length === 1) return (await extractSameSize([image]))[0]!;
    const sharp = await loadSharp();
    const source = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
    const crops = await Promise.all(
      regions.map(async (region) => {
        const data = await source.clone().extract({ left: region.x, top: region.y, width: region.width, height: region.height }).raw().toBuffer();
        return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: region.width, height: region.height };
      }),
    );
    const features: ImageFeatures[] = [];
    for (let start = 0; start < crops.length; start += 8) features.push(...(await extractSameSize(crops.slice(start, start + 8))));
    return stitchTileFeatures(features, regions, image.width, image.height, dimensions);
  };
  return {
    backbone,
    geometry,
    dimensions,
    async prepare(image) {
      let prepared: LoadedImage;
      if (typeof image === 'string') prepared = await readImageRgb(image, (width, height) => inputSizeFor(geometry, width, height));
      else {
        const target = inputSizeFor(geometry, image.width, image.height);
        prepared = await resizeRgb(image, target.width, target.height);
      }
      return contrast === 'normalise' ? normaliseContrast(prepared) : prepared;
    },
    async extract(images) {
      const results: ImageFeatures[] = new Array(images.length);
      const groups = new Map<string, number[]>();
      images.forEach((image, index) => {
        const key = `${image.width}x${image.height}`;
        groups.set(key, [...(groups.get(key) ?? []), index]);
      });
      if (geometry.mode === 'tile') {
        for (const [index, image] of images.entries()) results[index] = await extractTiled(image, geometry.tile, geometry.overlap);
        return results;
      }
      for (const indices of groups.values()) {
        const features = await extractSameSize(indices.map((index) => images[index]!));
        indices.forEach((index, position) => (results[index] = features[position]!));
      }
      return results;
    },
    dispose: () => patches.dispose(),
  };
}

/**
 * Per-image contrast: `none`, or `normalise` (sharp's normalise: the 1st–99th luminance percentiles
 * stretched to the full range), which cancels lighting differences between images.
 */
export type ContrastMode = 'none' | 'normalise';

async function normaliseContrast(image: LoadedImage): Promise<LoadedImage> {
  const sharp = await loadSharp();
  const { data } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).normalise().raw().toBuffer({ resolveWithObject: true });
  return { ...image, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Progress of the feature stage: images done of total. */
export type FeatureProgress = (progress: { stage: 'features'; done: number; total: number }) => void;

/** Patch features of every file and its augmented views (views right after their image), read in batches. */
export async function extractAll(
  pipeline: FeaturePipeline,
  files: readonly string[],
  augmentationList: readonly Augmentation[],
  batchSize: number,
  onProgress: FeatureProgress | undefined,
): Promise<ImageFeatures[]> {
  const all: ImageFeatures[] = [];
  for (let start = 0; start < files.length; start += batchSize) {
    const batchFiles = files.slice(start, start + batchSize);
    const images = await Promise.all(batchFiles.map((file) => pipeline.prepare(file)));
    const batch: LoadedImage[] = [];
    for (const image of images) {
      batch.push(image);
      for (const augmentation of augmentationList) batch.push(await augmentImage(image, augmentation));
    }
    all.push(...(await pipeline.extract(batch)));
    onProgress?.({ stage: 'features', done: Math.min(start + batchSize, files.length), total: files.length });
  }
  return all;
}

/** Rows of several images, one after another, in one array. */
export function concatenateRows(images: readonly ImageFeatures[]): Float32Array {
  const out = new Float32Array(images.reduce((sum, image) => sum + image.rows.length, 0));
  let offset = 0;
  for (const image of images) {
    out.set(image.rows, offset);
    offset += image.rows.length;
  }
  return out;
}

/** Patch rows of several images together. */
export function rowCount(images: readonly ImageFeatures[], dimensions: number): number {
  return images.reduce((sum, image) => sum + image.rows.length, 0) / dimensions;
}
