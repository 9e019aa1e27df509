import { InvalidInputError, ModelLoadError } from '@vad/core';
import type { SessionOptions, Normalization } from '@vad/models';
import { checkAugmentations, type Augmentation } from './augment.js';
import type { AutoSelectionRecord } from './auto-preset.js';
import type { FeatureBackbone, InputGeometry } from './backbone.js';
import { createRandomProjector, greedyCoreset } from './coreset.js';
import { readImageRgb, resizeRgb, resolveTrainingImages, type LabelledImage, type LoadedImage } from './dataset.js';
import { concatenateRows, createFeaturePipeline, extractAll, type ContrastMode, type FeaturePipeline, type ImageFeatures } from './feature-extraction.js';
import { createAnomalyMapRenderer, type AnomalyMapRenderer } from './anomaly-map.js';
import { readModelFile, writeModelFile } from './model-file.js';
import { createNearestNeighbourSearch, type NearestNeighbourSearch } from './nearest-neighbour.js';
import { createRandom } from './random.js';
import type { TapShape } from './patch-features.js';
import { f1MaxCalibration } from './calibrate.js';
import { mapSizeFor, type AnomalyDetector, type AnomalyPrediction, type PredictOptions } from './detector.js';
import { checkScoring, combineViews, defaultScoring, imageScoreOf, plainScoring, scoreImages, type GridScores, type ScoringRecord } from './scoring.js';

/** Progress of a fit, for progress bars: `done` of `total` in the current stage. */
export interface FitProgress {
  readonly stage: 'features' | 'coreset' | 'threshold';
  readonly done: number;
  readonly total: number;
}

/** Fits use the whole bank up to this many images ("few-shot"), a coreset above. */
export const fullBankMaxImages = 16;
/** `fitPatchCore`'s share of training patches kept in the memory bank when none is given (the `texture` and `fast` presets'; the default preset keeps 2 %). */
export const defaultCoresetRatio = 0.1;

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
  readonly features: { readonly poolSize: number; readonly geometry: InputGeometry; readonly dimensions: number; readonly tapWeights?: readonly number[]; readonly contrast?: ContrastMode };
  readonly bank: { readonly size: number; readonly trainingPatches: number; readonly coresetRatio: number; readonly projectionDimensions: number; readonly seed: number };
  readonly threshold: ThresholdRecord;
  /** How distances become scores; absent in files written before it was recorded (then `plainScoring`). */
  readonly scoring?: ScoringRecord;
  /** Gaussian σ of the map blur at 256 px; it scales with the image's size. */
  readonly mapSigmaAt256: number;
  /**
   * When set, the map blur's σ in feature-grid cells instead (`mapSigmaAt256` is then ignored): a
   * finer grid gets a tighter blur, so a sharper backbone grid is not smoothed back to a coarse map.
   */
  readonly mapSigmaCells?: number;
  /** How `--preset auto` chose this configuration: each candidate's validation score and why the winner won. */
  readonly selection?: AutoSelectionRecord;
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
  /** Per-image contrast normalisation before the backbone (default 'none'). */
  contrast?: ContrastMode;
  /** Per-tap feature factors (default 1 each). */
  tapWeights?: readonly number[];
  /** How images are sized for the backbone (default: stretched to the backbone's square input size). */
  geometry?: InputGeometry;
  /** Map blur σ in feature-grid cells (default: none, the older 4 px at 256 px). */
  mapSigmaCells?: number;
  /** Extra views per training image (few-shot); none by default. */
  augmentations?: readonly Augmentation[];
  /** How distances become scores (default `defaultScoring`: exposure search and the image's median added). */
  scoring?: ScoringRecord;
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

/**
 * Fits PatchCore on normal images (a folder, an MVTec category, or a list of files).
 *
 * Memory bank: every patch feature of up to `fullBankMaxImages` images, else a greedy k-center
 * coreset of `coresetRatio` of them. Threshold (raw distance, normalised to 0.5), by rule:
 * - more than 16 images: 10 % of them (at least 2, seeded choice) are held out of a first bank
 *   and scored; the threshold is the highest held-out image score (`held-out-max`). The model's
 *   bank is then selected from all images (the threshold errs a little high: a bigger bank
 *   scores normal images slightly lower);
 * - 2–16 images: each image is scored against a bank of the others (`leave-one-out-max`);
 * - 1 image: the largest distance of its patches to their second-nearest bank patch
 *   (`second-neighbour-max`; rough — calibrate with labelled images when you can).
 * Threshold images are scored as predictions will be (`scoring`: exposure search, image median).
 */
export async function fitPatchCore(source: string | readonly string[], options: PatchCoreFitOptions): Promise<PatchCoreModel> {
  const {
    backbone,
    coresetRatio = defaultCoresetRatio,
    projectionDimensions = 128,
    poolSize = 3,
    geometry = { mode: 'square', size: backbone.inputSize },
    tapWeights,
    contrast = 'none',
    augmentations: augmentationList = [],
    scoring = defaultScoring,
    mapSigmaCells,
    seed = 0,
    batchSize = 8,
    onProgress,
    ...sessionOptions
  } = options;
  if (!(coresetRatio > 0 && coresetRatio <= 1)) throw new InvalidInputError({ message: `coresetRatio must be in (0, 1], got ${coresetRatio}`, property: 'coresetRatio' });
  checkAugmentations(augmentationList);
  checkScoring(scoring);
  if (mapSigmaCells !== undefined && !(mapSigmaCells > 0 && Number.isFinite(mapSigmaCells))) throw new InvalidInputError({ message: `mapSigmaCells must be a positive number, got ${mapSigmaCells}`, property: 'mapSigmaCells' });
  const files = await resolveTrainingImages(source);
  const fewShot = files.length <= fullBankMaxImages;
  const { bankFiles, heldOutFiles } = splitHeldOut(files, fewShot ? 0 : Math.max(2, Math.round(files.length * 0.1)), seed);

  const pipeline = await createFeaturePipeline(backbone, { poolSize, geometry, contrast, ...(tapWeights && { tapWeights }), ...sessionOptions });
  try {
    const { dimensions } = pipeline;
    const views = 1 + augmentationList.length;
    // Held-out images come last: the threshold's bank covers the first `bankFiles` images, the model's all.
    const images = await extractAll(pipeline, [...bankFiles, ...heldOutFiles], augmentationList, batchSize, onProgress);
    const bankImages = images.slice(0, bankFiles.length * views);
    const trainingPatches = rowCount(images, dimensions);
    const useCoreset = !fewShot && coresetRatio < 1;
    const ratio = useCoreset ? coresetRatio : 1;
    const banks = useCoreset
      ? await coresetBanks(images, bankImages.length, dimensions, { coresetRatio, projectionDimensions, seed, ...(onProgress && { onProgress }), ...sessionOptions })
      : prefixBanks(images, bankImages.length, dimensions);
    const bank = banks.all;
    let threshold: ThresholdRecord;
    if (heldOutFiles.length > 0) {
      // The threshold is measured on images the first bank has not seen; then they join the bank.
      threshold = await heldOutThreshold(pipeline, banks.first, heldOutFiles, scoring, onProgress, sessionOptions);
    } else {
      threshold = await fewShotThreshold(pipeline, bank, files, images, views, scoring, onProgress, sessionOptions);
    }
    if (!(threshold.score > 0)) threshold = { ...threshold, score: 1e-6 };
    return {
      header: {
        format: 'vad-anomaly-model',
        detector: 'patchcore',
        createdAt: new Date().toISOString(),
        backbone: backboneRecord(backbone),
        features: { poolSize, geometry, dimensions, contrast, ...(tapWeights && { tapWeights: [...tapWeights] }) },
        bank: { size: bank.length / dimensions, trainingPatches, coresetRatio: ratio, projectionDimensions, seed },
        threshold,
        scoring,
        mapSigmaAt256: 4,
        ...(mapSigmaCells !== undefined && { mapSigmaCells }),
        training: { images: files.length, heldOut: heldOutFiles.length, augmentations: [...augmentationList] },
      },
      bank,
    };
  } finally {
    await pipeline.dispose();
  }
}

function rowCount(images: readonly ImageFeatures[], dimensions: number): number {
  return images.reduce((sum, image) => sum + image.rows.length, 0) / dimensions;
}

/** The memory banks of a fit: of the first `firstCount` images (the threshold's), and of all of them. */
interface Banks {
  readonly first: Float32Array;
  readonly all: Float32Array;
}

/** Every patch of the images, in one array; the first images' patches are its prefix. */
function prefixBanks(images: readonly ImageFeatures[], firstCount: number, dimensions: number): Banks {
  const all = concatenateRows(images);
  return { first: all.subarray(0, rowCount(images.slice(0, firstCount), dimensions) * dimensions), all };
}

/**
 * Greedy k-center coresets (`coresetRatio` of the rows) of the first `firstCount` images and of all
 * images, selected on a random projection of each image's rows (ONNX Runtime). The second selection
 * continues the first: the remaining images' rows start at their distance to the first bank, and
 * only the extra points are selected, so holding images out for the threshold costs little.
 */
async function coresetBanks(
  images: readonly ImageFeatures[],
  firstCount: number,
  dimensions: number,
  options: SessionOptions & { coresetRatio: number; projectionDimensions: number; seed: number; onProgress?: (progress: FitProgress) => void },
): Promise<Banks> {
  const { coresetRatio, projectionDimensions, seed, onProgress, ...sessionOptions } = options;
  const target = Math.min(projectionDimensions, dimensions);
  // Global row index → (image, row): prefix sums over the images' row counts.
  const starts = new Int32Array(images.length + 1);
  images.forEach((image, index) => (starts[index + 1] = starts[index]! + image.rows.length / dimensions));
  const count = starts[images.length]!;
  const firstRows = starts[firstCount]!;
  const projected = new Float32Array(count * target);
  const projector = await createRandomProjector(dimensions, target, createRandom(seed), sessionOptions);
  try {
    for (const [index, image] of images.entries()) projected.set(await projector.project(image.rows, image.rows.length / dimensions), starts[index]! * target);
  } finally {
    await projector.dispose();
  }
  const sizeOf = (rows: number) => Math.max(1, Math.round(rows * coresetRatio));
  const total = sizeOf(count);
  const progress = onProgress && ((done: number) => onProgress({ stage: 'coreset', done: Math.min(done, total), total }));
  const first = await greedyCoreset(projected.subarray(0, firstRows * target), firstRows, target, { size: sizeOf(firstRows), seed, ...sessionOptions, ...(progress && { onProgress: progress }) });
  const firstBank = gatherRows(images, starts, first.selected, dimensions);
  if (firstRows === count) return { first: firstBank, all: firstBank };
  // The remaining rows' squared distances to the first selection, in the same projection.
  const selectedProjected = new Float32Array(first.selected.length * target);
  first.selected.forEach((row, index) => selectedProjected.set(projected.subarray(row * target, (row + 1) * target), index * target));
  const search = await createNearestNeighbourSearch(selectedProjected, first.selected.length, target, sessionOptions);
  const minDistances = new Float32Array(count);
  minDistances.set(first.minDistances);
  try {
    const { distances } = await search.search(projected.subarray(firstRows * target), count - firstRows);
    distances.forEach((distance, index) => (minDistances[firstRows + index] = distance * distance));
  } finally {
    await search.dispose();
  }
  const all = await greedyCoreset(projected, count, target, { size: total, seed, start: { selected: first.selected, minDistances }, ...sessionOptions, ...(progress && { onProgress: progress }) });
  return { first: firstBank, all: gatherRows(images, starts, all.selected, dimensions) };
}

/** Full-dimension rows at global row indices (`starts`: each image's first global row). */
function gatherRows(images: readonly ImageFeatures[], starts: Int32Array, selected: Int32Array, dimensions: number): Float32Array {
  const bank = new Float32Array(selected.length * dimensions);
  selected.forEach((row, index) => {
    let low = 0;
    let high = images.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= row) low = middle;
      else high = middle - 1;
    }
    const local = row - starts[low]!;
    bank.set(images[low]!.rows.subarray(local * dimensions, (local + 1) * dimensions), index * dimensions);
  });
  return bank;
}

/** One image file's raw score against a bank, as a prediction would score it. */
async function imageScore(pipeline: FeaturePipeline, search: NearestNeighbourSearch, file: string, scoring: ScoringRecord): Promise<number> {
  const [scored] = await scoreImages(pipeline, search, [await pipeline.prepare(file)], scoring);
  return imageScoreOf(scored!.scores, scoring);
}

/** `held-out-max`: the highest image score of normal images the bank has not seen. */
async function heldOutThreshold(
  pipeline: FeaturePipeline,
  bank: Float32Array,
  heldOutFiles: readonly string[],
  scoring: ScoringRecord,
  onProgress: ((progress: FitProgress) => void) | undefined,
  sessionOptions: SessionOptions,
): Promise<ThresholdRecord> {
  const search = await createNearestNeighbourSearch(bank, bank.length / pipeline.dimensions, pipeline.dimensions, sessionOptions);
  try {
    const scores: number[] = [];
    onProgress?.({ stage: 'threshold', done: 0, total: heldOutFiles.length });
    for (const file of heldOutFiles) {
      scores.push(await imageScore(pipeline, search, file, scoring));
      onProgress?.({ stage: 'threshold', done: scores.length, total: heldOutFiles.length });
    }
    return { score: Math.max(...scores), rule: 'held-out-max', basis: scores };
  } finally {
    await search.dispose();
  }
}

/**
 * 2–16 images: `leave-one-out-max`, each image scored against the others' views. One image:
 * `second-neighbour-max`, its patches' largest distance to their second-nearest bank patch.
 */
async function fewShotThreshold(
  pipeline: FeaturePipeline,
  bank: Float32Array,
  files: readonly string[],
  images: readonly ImageFeatures[],
  views: number,
  scoring: ScoringRecord,
  onProgress: ((progress: FitProgress) => void) | undefined,
  sessionOptions: SessionOptions,
): Promise<ThresholdRecord> {
  const { dimensions } = pipeline;
  if (files.length >= 2) {
    const scores: number[] = [];
    onProgress?.({ stage: 'threshold', done: 0, total: files.length });
    // One search over the whole bank; each image leaves out its own rows (its views are contiguous).
    const search = await createNearestNeighbourSearch(bank, bank.length / dimensions, dimensions, { ...sessionOptions, excludable: true });
    try {
      for (const [index, file] of files.entries()) {
        const ownRows: [number, number] = [rowCount(images.slice(0, index * views), dimensions), rowCount(images.slice(0, (index + 1) * views), dimensions)];
        const others: NearestNeighbourSearch = { ...search, search: (queries, count) => search.search(queries, count, ownRows) };
        scores.push(await imageScore(pipeline, others, file, scoring));
        onProgress?.({ stage: 'threshold', done: scores.length, total: files.length });
      }
    } finally {
      await search.dispose();
    }
    return { score: Math.max(...scores), rule: 'leave-one-out-max', basis: scores };
  }
  const search = await createNearestNeighbourSearch(bank, bank.length / dimensions, dimensions, { ...sessionOptions, neighbours: 2 });
  try {
    const own = images[0]!;
    const count = own.rows.length / dimensions;
    const { neighbourDistances } = await search.search(own.rows, count);
    // Its own patches are in the bank: the second neighbour stands in for an unseen image's nearest.
    const secondNearest = Float32Array.from({ length: count }, (_, row) => neighbourDistances![row * 2 + 1]!);
    onProgress?.({ stage: 'threshold', done: 1, total: 1 });
    return { score: imageScoreOf(combineViews([secondNearest], scoring.imageMedianWeight), scoring), rule: 'second-neighbour-max' };
  } finally {
    await search.dispose();
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
  if (header.scoring) {
    try {
      checkScoring(header.scoring);
    } catch (error) {
      throw new ModelLoadError({ message: `model file ${file} has a bad scoring record: ${(error as Error).message}`, path: file, cause: error });
    }
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

/**
 * The F1-maximising threshold from labelled validation images (`anomalous: true` for defects):
 * their raw scores are ranked and the threshold that maximises F1 is stored (`rule: 'f1-max'`).
 */
export async function calibratePatchCore(model: PatchCoreModel, backbone: FeatureBackbone, validation: readonly LabelledImage[], options: SessionOptions = {}): Promise<PatchCoreModel> {
  const detector = await createPatchCoreDetector(model, backbone, options);
  try {
    const best = await f1MaxCalibration(detector, validation);
    return withThreshold(model, best.threshold, 'f1-max', best.basis);
  } finally {
    await detector.dispose();
  }
}
