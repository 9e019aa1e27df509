import type { SessionOptions } from '@vad/models';
import { createAnomalyMapRenderer, type AnomalyMapRenderer } from './anomaly-map.js';
import type { FeatureBackbone } from './backbone.js';
import { mapSizeFor, type AnomalyDetector, type AnomalyPrediction, type PredictOptions } from './detector.js';
import { createFeaturePipeline } from './feature-extraction.js';
import { checkBackbone } from './model-record.js';
import { createNearestNeighbourSearch, type NearestNeighbourSearch } from './nearest-neighbour.js';
import type { PatchCoreModel } from './patchcore-model.js';
import type { LoadedImage } from './read-image.js';
import { imageScoreOf, plainScoring, scoreImages, type GridScores } from './scoring.js';

/**
 * One image scored by PatchCore: `rawScore` is the largest patch score (its distance to the bank,
 * combined as the model's `scoring` says), `score` is `rawScore / (2 · threshold)` (0.5 at the
 * threshold); the map is normalised the same way.
 */
export interface PatchCorePrediction extends AnomalyPrediction {
  /** Raw patch scores on the feature grid. */
  readonly gridScores: Float32Array;
}

export interface PatchCoreDetector extends AnomalyDetector {
  readonly kind: 'patchcore';
  readonly model: PatchCoreModel;
  predict(image: string | { data: Uint8Array; width: number; height: number }, options?: PredictOptions): Promise<PatchCorePrediction>;
  /** Raw patch scores of prepared images (no map), by the model's `scoring`. */
  scoreGrid(images: readonly Pick<LoadedImage, 'data' | 'width' | 'height'>[]): Promise<GridScores[]>;
  /** Map of grid scores at `width × height`, normalised, blurred. */
  renderMap(grid: GridScores, width: number, height: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/**
 * A detector for a fitted model on its backbone. `threshold` overrides the normalised threshold
 * (default 0.5, which is the model's own threshold).
 */
export async function createPatchCoreDetector(
  model: PatchCoreModel,
  backbone: FeatureBackbone,
  options: SessionOptions & { threshold?: number; modelPath?: string } = {},
): Promise<PatchCoreDetector> {
  const { threshold = 0.5, modelPath, ...sessionOptions } = options;
  checkBackbone(modelPath ?? 'in memory', model.header.backbone, backbone);
  const { header } = model;
  const pipeline = await createFeaturePipeline(backbone, {
    poolSize: header.features.poolSize,
    geometry: header.features.geometry,
    ...(header.features.tapWeights && { tapWeights: header.features.tapWeights }),
    contrast: header.features.contrast ?? 'none',
    ...sessionOptions,
  });
  let search: NearestNeighbourSearch | undefined;
  let renderer: AnomalyMapRenderer | undefined;
  try {
    search = await createNearestNeighbourSearch(model.bank, header.bank.size, header.features.dimensions, sessionOptions);
    renderer = await createAnomalyMapRenderer(sessionOptions);
  } catch (error) {
    await pipeline.dispose();
    await search?.dispose();
    throw error;
  }
  const scale = 1 / (2 * header.threshold.score);
  const scoring = header.scoring ?? plainScoring;
  const scoreGrid = (images: readonly Pick<LoadedImage, 'data' | 'width' | 'height'>[]) => scoreImages(pipeline, search!, images, scoring);
  const renderMap = async (grid: GridScores, width: number, height: number) => {
    const sigma = header.mapSigmaCells !== undefined ? header.mapSigmaCells * Math.sqrt((width / grid.gridWidth) * (height / grid.gridHeight)) : (header.mapSigmaAt256 * Math.sqrt(width * height)) / 256;
    const map = await renderer!.render(grid.scores, grid.gridWidth, grid.gridHeight, width, height, sigma);
    for (let index = 0; index < map.length; index++) map[index]! *= scale;
    return map;
  };
  return {
    kind: 'patchcore',
    model,
    threshold,
    scoreGrid,
    renderMap,
    async predict(image, predictOptions = {}) {
      const input = await pipeline.prepare(image);
      const [grid] = await scoreGrid([input]);
      const rawScore = imageScoreOf(grid!.scores, scoring);
      const { width, height } = mapSizeFor(input.originalWidth, input.originalHeight, predictOptions.mapMaxSide);
      const map = await renderMap(grid!, width, height);
      const score = rawScore * scale;
      return { rawScore, score, isAnomalous: score > threshold, map, width, height, gridScores: grid!.scores };
    },
    async dispose() {
      await Promise.all([pipeline.dispose(), search!.dispose(), renderer!.dispose()]);
    },
  };
}
