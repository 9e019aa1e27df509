import { InvalidInputError, ModelLoadError } from '@vad/core';
import type { SessionOptions, Normalization } from '@vad/models';
import type { Augmentation } from './augment.js';
import type { FeatureBackbone } from './backbone.js';
import { selectCoreset } from './coreset.js';
import { readImageRgb, resizeRgb, resolveTrainingImages, type LoadedImage } from './dataset.js';
import { createFeaturePipeline, extractAll } from './feature-extraction.js';
import { createAnomalyMapRenderer, type AnomalyMapRenderer } from './anomaly-map.js';
import { readModelFile, writeModelFile } from './model-file.js';
import { createNearestNeighbourSearch, type NearestNeighbourSearch } from './nearest-neighbour.js';
import { createRandom } from './random.js';
import type { TapShape } from './patch-features.js';
import { mapSizeFor, type AnomalyDetector, type AnomalyPrediction, type PredictOptions } from './detector.js';

/** Progress of a fit, for progress bars: `done` of `total` in the current stage. */
export interface FitProgress {
  readonly stage: 'features' | 'coreset' | 'threshold';
  readonly done: number;
  readonly total: number;
}

/** Fits use the whole bank up to this many images ("few-shot"), a coreset above. */
export const fullBankMaxImages = 16;
/** Default share of training patches kept in the memory bank (see BENCHMARKS.md for how it was chosen). */
export const defaultCoresetRatio = 0.02;

/** What a fitted model records about the network that made its features. */
export interface BackboneRecord {
  readonly id: string;
  readonly inputSize: number;
  readonly normalization: Normalization;
  readonly taps: readonly string[];
  readonly tapShapes: readonly TapShape[];
}

/** How a threshold was chosen, in raw (distance) units; normalised scores put it at 0.5. */
export interface ThresholdRecord {
  readonly score: number;
  readonly rule: 'held-out-max' | 'leave-one-out-max' | 'second-neighbour-max' | 'f1-max' | 'user';
  /** The scores the rule was applied to (held-out normal images, or labelled validation images). */
  readonly basis?: readonly number[];
}

export interface PatchCoreHeader {
  readonly format: 'vad-anomaly-model';
  readonly detector: 'patchcore';
  readonly createdAt: string;
  readonly backbone: BackboneRecord;
  readonly features: { readonly poolSize: number; readonly gridHeight: number; readonly gridWidth: number; readonly dimensions: number };
  readonly bank: { readonly size: number; readonly trainingPatches: number; readonly coresetRatio: number; readonly projectionDimensions: number; readonly seed: number };
  readonly threshold: ThresholdRecord;
  /** Gaussian σ of the map blur at 256 px; it scales with the image's size. */
  readonly mapSigmaAt256: number;
  readonly training: { readonly images: number; readonly heldOut: number; readonly augmentations: readonly Augmentation[] };
}

export interface PatchCoreModel {
  readonly header: PatchCoreHeader;
  /** `[bank.size, features.dimensions]` patch features. */
  readonly bank: Float32Array;
}

export interface PatchCoreFitOptions extends SessionOptions {
  backbone: FeatureBackbone;
  /** Share of training patches kept by the coreset (default `defaultCoresetRatio`); 1 keeps all. */
  coresetRatio?: number;
  /** Dimensions of the coreset's random projection (default 128). */
  projectionDimensions?: number;
  poolSize?: number;
  /** Extra views per training image (few-shot); none by default. */
  augmentations?: readonly Augmentation[];
  seed?: number;
  /** Images per backbone call (default 8). */
  batchSize?: number;
  onProgress?: (progress: FitProgress) => void;
}

function backboneRecord(backbone: FeatureBackbone): BackboneRecord {
  return { id: backbone.id, inputSize: backbone.inputSize, normalization: backbone.normalization, taps: [...backbone.taps], tapShapes: backbone.tapShapes.map((shape) => ({ ...shape })) };
}

/** A seeded choice of `count` files to hold out; the rest keep their order. */
export function splitHeldOut(files: readonly string[], count: number, seed: number): { bankFiles: string[]; heldOutFiles: string[] } {
  const random = createRandom(seed);
  const order = files.map((_, index) => index);
  for (let index = order.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  const heldOut = new Set(order.slice(0, count));
  return { bankFiles: files.filter((_, index) => !heldOut.has(index)), heldOutFiles: files.filter((_, index) => heldOut.has(index)) };
}

/** Rows `[start, end)` removed from a row-major matrix. */
export function withoutRows(matrix: Float32Array, dimensions: number, start: number, end: number): Float32Array {
  const out = new Float32Array(matrix.length - (end - start) * dimensions);
  out.set(matrix.subarray(0, start * dimensions), 0);
  out.set(matrix.subarray(end * dimensions), start * dimensions);
  return out;
}

export function maxOf(values: Float32Array): number {
  let best = -Infinity;
  for (let index = 0; index < values.length; index++) if (values[index]! > best) best = values[index]!;
  return best;
}

/**
 * Fits PatchCore on normal images (a folder, an MVTec category, or a list of files).
 *
 * Memory bank: every patch feature of up to `fullBankMaxImages` images, else a greedy k-center
 * coreset of `coresetRatio` of them. Threshold (raw distance, normalised to 0.5), by rule:
 * - more than 16 images: 10 % of them (at least 2, seeded choice) are held out of the bank and
 *   scored; the threshold is the highest held-out image score (`held-out-max`);
 * - 2–16 images: each image is scored against a bank of the others (`leave-one-out-max`);
 * - 1 image: the largest distance of its patches to their second-nearest bank patch
 *   (`second-neighbour-max`; rough — calibrate with labelled images when you can).
 */
export async function fitPatchCore(source: string | readonly string[], options: PatchCoreFitOptions): Promise<PatchCoreModel> {
  const { backbone, coresetRatio = defaultCoresetRatio, projectionDimensions = 128, poolSize = 3, augmentations: augmentationList = [], seed = 0, batchSize = 8, onProgress, ...sessionOptions } = options;
  if (!(coresetRatio > 0 && coresetRatio <= 1)) throw new InvalidInputError({ message: `coresetRatio must be in (0, 1], got ${coresetRatio}`, property: 'coresetRatio' });
  const files = await resolveTrainingImages(source);
  const fewShot = files.length <= fullBankMaxImages;
  const { bankFiles, heldOutFiles } = splitHeldOut(files, fewShot ? 0 : Math.max(2, Math.round(files.length * 0.1)), seed);

  const pipeline = await createFeaturePipeline(backbone, { poolSize, ...sessionOptions });
  try {
    const { dimensions, patchesPerImage } = pipeline;
    const progressTotal = files.length;
    const features = await extractAll(pipeline, bankFiles, augmentationList, batchSize, onProgress && ((progress) => onProgress({ ...progress, total: progressTotal })));
    const trainingPatches = features.length / dimensions;
    let bank: Float32Array;
    let ratio = 1;
    if (fewShot || coresetRatio >= 1) {
      bank = features;
    } else {
      ratio = coresetRatio;
      const size = Math.max(1, Math.round(trainingPatches * coresetRatio));
      const selected = await selectCoreset(features, trainingPatches, dimensions, {
        size,
        projectionDimensions,
        seed,
        ...sessionOptions,
        onProgress: onProgress && ((done, total) => onProgress({ stage: 'coreset', done, total })),
      });
      bank = new Float32Array(size * dimensions);
      for (let index = 0; index < size; index++) bank.set(features.subarray(selected[index]! * dimensions, (selected[index]! + 1) * dimensions), index * dimensions);
    }
    const bankSize = bank.length / dimensions;

    let threshold: ThresholdRecord;
    if (heldOutFiles.length > 0) {
      const heldOut = await extractAll(pipeline, heldOutFiles, [], batchSize, undefined);
      const search = await createNearestNeighbourSearch(bank, bankSize, dimensions, sessionOptions);
      try {
        const { distances } = await search.search(heldOut, heldOut.length / dimensions);
        const scores = heldOutFiles.map((_, index) => maxOf(distances.subarray(index * patchesPerImage, (index + 1) * patchesPerImage)));
        threshold = { score: Math.max(...scores), rule: 'held-out-max', basis: scores };
      } finally {
        await search.dispose();
      }
    } else if (bankFiles.length >= 2) {
      const rowsPerFile = patchesPerImage * (1 + augmentationList.length);
      const scores: number[] = [];
      for (let index = 0; index < bankFiles.length; index++) {
        onProgress?.({ stage: 'threshold', done: index, total: bankFiles.length });
        const others = withoutRows(features, dimensions, index * rowsPerFile, (index + 1) * rowsPerFile);
        const search = await createNearestNeighbourSearch(others, others.length / dimensions, dimensions, sessionOptions);
        try {
          const { distances } = await search.search(features.subarray(index * rowsPerFile * dimensions, (index * rowsPerFile + patchesPerImage) * dimensions), patchesPerImage);
          scores.push(maxOf(distances));
        } finally {
          await search.dispose();
        }
      }
      threshold = { score: Math.max(...scores), rule: 'leave-one-out-max', basis: scores };
    } else {
      const search = await createNearestNeighbourSearch(bank, bankSize, dimensions, { ...sessionOptions, neighbours: 2 });
      try {
        const { neighbourDistances } = await search.search(features.subarray(0, patchesPerImage * dimensions), patchesPerImage);
        let best = 0;
        for (let row = 0; row < patchesPerImage; row++) best = Math.max(best, neighbourDistances![row * 2 + 1]!);
        threshold = { score: best, rule: 'second-neighbour-max' };
      } finally {
        await search.dispose();
      }
    }
    onProgress?.({ stage: 'threshold', done: 1, total: 1 });
    if (!(threshold.score > 0)) threshold = { ...threshold, score: 1e-6 };
    return {
      header: {
        format: 'vad-anomaly-model',
        detector: 'patchcore',
        createdAt: new Date().toISOString(),
        backbone: backboneRecord(backbone),
        features: { poolSize, gridHeight: pipeline.grid.height, gridWidth: pipeline.grid.width, dimensions },
        bank: { size: bankSize, trainingPatches, coresetRatio: ratio, projectionDimensions, seed },
        threshold,
        mapSigmaAt256: 4,
        training: { images: files.length, heldOut: heldOutFiles.length, augmentations: [...augmentationList] },
      },
      bank,
    };
  } finally {
    await pipeline.dispose();
  }
}

/** A copy of the model with a new raw threshold (e.g. from `f1Max` on labelled validation scores). */
export function withThreshold(model: PatchCoreModel, score: number, rule: ThresholdRecord['rule'] = 'user', basis?: readonly number[]): PatchCoreModel {
  if (!(score > 0)) throw new InvalidInputError({ message: `a PatchCore threshold must be a positive distance, got ${score}`, property: 'threshold' });
  return { ...model, header: { ...model.header, threshold: { score, rule, ...(basis && { basis }) } } };
}

export async function savePatchCoreModel(file: string, model: PatchCoreModel, options: { float16?: boolean } = {}): Promise<void> {
  const { dimensions } = model.header.features;
  await writeModelFile(file, { header: model.header, arrays: { bank: { data: model.bank, shape: [model.header.bank.size, dimensions] } } }, { float16: options.float16 ? ['bank'] : [] });
}

/**
 * Reads a PatchCore model file. With `backbone`, refuses a model fitted on another backbone (id, taps
 * or feature shapes differ): its bank would be compared with features it was never made from.
 */
export async function loadPatchCoreModel(file: string, options: { backbone?: Pick<FeatureBackbone, 'id' | 'taps' | 'tapShapes' | 'inputSize'> } = {}): Promise<PatchCoreModel> {
  const { header, arrays } = await readModelFile<PatchCoreHeader>(file);
  if (header.format !== 'vad-anomaly-model' || header.detector !== 'patchcore') {
    throw new ModelLoadError({ message: `model file ${file} holds a ${String(header.detector)} model, not PatchCore`, path: file });
  }
  const bank = arrays.bank;
  if (!bank || bank.shape.length !== 2 || bank.shape[0] !== header.bank.size || bank.shape[1] !== header.features.dimensions) {
    throw new ModelLoadError({ message: `model file ${file} has no memory bank of ${header.bank?.size}×${header.features?.dimensions}`, path: file });
  }
  if (options.backbone) checkBackbone(file, header.backbone, options.backbone);
  return { header, bank: bank.data };
}

export function checkBackbone(file: string, recorded: BackboneRecord, backbone: Pick<FeatureBackbone, 'id' | 'taps' | 'tapShapes' | 'inputSize'>): void {
  const same =
    recorded.id === backbone.id &&
    recorded.inputSize === backbone.inputSize &&
    JSON.stringify(recorded.taps) === JSON.stringify(backbone.taps) &&
    JSON.stringify(recorded.tapShapes) === JSON.stringify(backbone.tapShapes);
  if (!same) {
    throw new ModelLoadError({
      message: `model file ${file} was fitted on backbone ${recorded.id} (taps ${recorded.taps.join('+')}, ${recorded.inputSize} px), not ${backbone.id} (taps ${backbone.taps.join('+')}, ${backbone.inputSize} px); fit it again on this backbone`,
      path: file,
    });
  }
}

/**
 * One image scored by PatchCore: `rawScore` is the largest patch distance to the bank, `score` is
 * `rawScore / (2 · threshold)` (0.5 at the threshold); the map is normalised the same way.
 */
export interface PatchCorePrediction extends AnomalyPrediction {
  /** Raw patch distances on the feature grid. */
  readonly gridScores: Float32Array;
}

export interface PatchCoreDetector extends AnomalyDetector {
  readonly kind: 'patchcore';
  readonly model: PatchCoreModel;
  predict(image: string | { data: Uint8Array; width: number; height: number }, options?: PredictOptions): Promise<PatchCorePrediction>;
  /** Raw patch distances for images already at the input size (no map): the fast path for evaluation. */
  scoreGrid(images: readonly Pick<LoadedImage, 'data' | 'width' | 'height'>[]): Promise<Float32Array[]>;
  /** Map of grid distances at `width × height`, normalised, blurred. */
  renderMap(gridScores: Float32Array, width: number, height: number): Promise<Float32Array>;
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
  const pipeline = await createFeaturePipeline(backbone, { poolSize: header.features.poolSize, ...sessionOptions });
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
  const { gridWidth, gridHeight } = header.features;
  const patches = gridWidth * gridHeight;
  const scoreGrid = async (images: readonly Pick<LoadedImage, 'data' | 'width' | 'height'>[]) => {
    const rows = await pipeline.extract(images);
    const { distances } = await search!.search(rows, rows.length / header.features.dimensions);
    return images.map((_, index) => distances.slice(index * patches, (index + 1) * patches));
  };
  const renderMap = async (gridScores: Float32Array, width: number, height: number) => {
    const map = await renderer!.render(gridScores, gridWidth, gridHeight, width, height, (header.mapSigmaAt256 * Math.sqrt(width * height)) / 256);
    const normalised = new Float32Array(map.length);
    for (let index = 0; index < map.length; index++) normalised[index] = map[index]! * scale;
    return normalised;
  };
  return {
    kind: 'patchcore',
    model,
    threshold,
    scoreGrid,
    renderMap,
    async predict(image, predictOptions = {}) {
      const input = typeof image === 'string' ? await readImageRgb(image, backbone.inputSize) : await resizeRgb(image, backbone.inputSize);
      const [gridScores] = await scoreGrid([input]);
      const rawScore = maxOf(gridScores!);
      const { width, height } = mapSizeFor(input.originalWidth, input.originalHeight, predictOptions.mapMaxSide);
      const map = await renderMap(gridScores!, width, height);
      const score = rawScore * scale;
      return { rawScore, score, isAnomalous: score > threshold, map, width, height, gridScores: gridScores! };
    },
    async dispose() {
      await Promise.all([pipeline.dispose(), search!.dispose(), renderer!.dispose()]);
    },
  };
}
