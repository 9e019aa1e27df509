import { preprocessImages, type SessionOptions } from '@vad/models';
import type { FeatureBackbone } from './backbone.js';
import type { LoadedImage } from './dataset.js';
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
