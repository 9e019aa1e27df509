import { preprocessImages, type SessionOptions } from '@vad/models';
import type { FeatureBackbone } from './backbone.js';
import { augmentImage, type Augmentation } from './augment.js';
import { readImageRgb, type LoadedImage } from './dataset.js';
import { createPatchFeatureExtractor, type PatchFeatureExtractor } from './patch-features.js';

/** Backbone + patch-feature graph: images at the backbone's input size → patch rows. Shared by PatchCore and PaDiM. */
export interface FeaturePipeline {
  readonly backbone: FeatureBackbone;
  readonly grid: { height: number; width: number };
  readonly dimensions: number;
  readonly patchesPerImage: number;
  /** `[images.length · H·W, dimensions]` rows, image after image, row-major over the grid. */
  extract(images: readonly Pick<LoadedImage, 'data' | 'width' | 'height'>[]): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export async function createFeaturePipeline(backbone: FeatureBackbone, options: { poolSize?: number } & SessionOptions = {}): Promise<FeaturePipeline> {
  const patches: PatchFeatureExtractor = await createPatchFeatureExtractor(backbone.tapShapes, options);
  const size = backbone.inputSize;
  return {
    backbone,
    grid: patches.grid,
    dimensions: patches.dimensions,
    patchesPerImage: patches.grid.height * patches.grid.width,
    async extract(images) {
      const { tensor } = await preprocessImages(images, { width: size, height: size, normalization: backbone.normalization, kernel: 'cubic' });
      const maps = await backbone.run(tensor.data, images.length);
      return patches.run(maps, images.length);
    },
    dispose: () => patches.dispose(),
  };
}

/** Progress of the feature stage: images done of total. */
export type FeatureProgress = (progress: { stage: 'features'; done: number; total: number }) => void;

/** Patch rows of every file (and its augmented views, right after it), read in batches. */
export async function extractAll(
  pipeline: FeaturePipeline,
  files: readonly string[],
  augmentationList: readonly Augmentation[],
  batchSize: number,
  onProgress: FeatureProgress | undefined,
): Promise<Float32Array> {
  const views = 1 + augmentationList.length;
  const rowsPerImage = pipeline.patchesPerImage * pipeline.dimensions;
  const features = new Float32Array(files.length * views * rowsPerImage);
  let written = 0;
  for (let start = 0; start < files.length; start += batchSize) {
    const batchFiles = files.slice(start, start + batchSize);
    const images = await Promise.all(batchFiles.map((file) => readImageRgb(file, pipeline.backbone.inputSize)));
    const batch: LoadedImage[] = [];
    for (const image of images) {
      batch.push(image);
      for (const augmentation of augmentationList) batch.push(await augmentImage(image, augmentation));
    }
    const rows = await pipeline.extract(batch);
    features.set(rows, written);
    written += rows.length;
    onProgress?.({ stage: 'features', done: Math.min(start + batchSize, files.length), total: files.length });
  }
  return features;
}

