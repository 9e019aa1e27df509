import { InvalidInputError, ModelLoadError } from '@vad/core';
import { buildModel, createSessionFromBytes, type ModelSession, type SessionOptions } from '@vad/models';
import { createAnomalyMapRenderer, type AnomalyMapRenderer } from './anomaly-map.js';
import type { FeatureBackbone } from './backbone.js';
import { mapSizeFor, type AnomalyDetector, type AnomalyPrediction, type PredictOptions } from './detector.js';
import { concatenateRows, createFeaturePipeline, extractAll, type FeaturePipeline } from './feature-extraction.js';
import { resolveTrainingImages } from './image-files.js';
import { readModelFile, writeModelFile } from './model-file.js';
import { backboneRecord, checkBackbone, splitHeldOut, thresholdHeldOutCount, type BackboneIdentity, type BackboneRecord, type FitProgress, type ThresholdRecord } from './model-record.js';
import { createRandom, shuffledIndices } from './random.js';
import type { LoadedImage } from './read-image.js';
import { maxOf } from './scoring.js';

/**
 * PaDiM (Defard et al., 2020): a Gaussian per feature-grid position over a random subset of the
 * backbone's channels; the anomaly score of a patch is its Mahalanobis distance to the Gaussian of
 * its position. Shares feature extraction, maps, thresholds and evaluation with PatchCore. It needs
 * the same framing in every image (aligned objects); PatchCore does not.
 */
export interface PadimHeader {
  readonly format: 'vad-anomaly-model';
  readonly detector: 'padim';
  readonly createdAt: string;
  readonly backbone: BackboneRecord;
  readonly features: { readonly gridHeight: number; readonly gridWidth: number; readonly dimensions: number; readonly channels: readonly number[]; readonly regularisation: number };
  readonly threshold: ThresholdRecord;
  readonly mapSigmaAt256: number;
  readonly training: { readonly images: number; readonly heldOut: number };
}

export interface PadimModel {
  readonly header: PadimHeader;
  /** `[positions, channels]` means. */
  readonly mean: Float32Array;
  /** `[positions, channels, channels]` inverse covariances. */
  readonly inverseCovariance: Float32Array;
}

export interface PadimFitOptions extends SessionOptions {
  backbone: FeatureBackbone;
  /** Channels kept by the random subset (default 128). */
  channels?: number;
  /** Added to the covariance diagonal (default 0.01). */
  regularisation?: number;
  seed?: number;
  batchSize?: number;
  onProgress?: (progress: FitProgress) => void;
}

/** The graph `[images, positions, channels]` → per-position mean and inverse covariance. */
function buildGaussianFitModel(channels: number, regularisation: number): Uint8Array {
  const identity = new Float32Array(channels * channels);
  for (let index = 0; index < channels; index++) identity[index * channels + index] = regularisation;
  return buildModel({
    name: 'padim_fit',
    inputs: [
      { name: 'features', type: 'float32', shape: ['images', 'positions', channels] },
      { name: 'scale', type: 'float32', shape: [1] },
    ],
    outputs: [
      { name: 'mean', type: 'float32', shape: ['positions', channels] },
      { name: 'inverse', type: 'float32', shape: ['positions', channels, channels] },
    ],
    nodes: [
      { op: 'Transpose', inputs: ['features'], outputs: ['by_position'], attributes: { perm: [1, 0, 2] } },
      { op: 'ReduceMean', inputs: ['by_position'], outputs: ['mean_keep'], attributes: { axes: [1], keepdims: 1 } },
      { op: 'Sub', inputs: ['by_position', 'mean_keep'], outputs: ['centred'] },
      { op: 'Transpose', inputs: ['centred'], outputs: ['centred_t'], attributes: { perm: [0, 2, 1] } },
      { op: 'MatMul', inputs: ['centred_t', 'centred'], outputs: ['scatter'] },
      { op: 'Mul', inputs: ['scatter', 'scale'], outputs: ['covariance_raw'] },
      { op: 'Add', inputs: ['covariance_raw', 'ridge'], outputs: ['covariance'] },
      { op: 'Inverse', domain: 'com.microsoft', inputs: ['covariance'], outputs: ['inverse'] },
      { op: 'Squeeze', inputs: ['mean_keep', 'axis_one'], outputs: ['mean'] },
    ],
    initializers: [
      { name: 'ridge', dims: [channels, channels], data: identity },
      { name: 'axis_one', dims: [1], data: BigInt64Array.from([1n]) },
    ],
    opset: 17,
    extraOpsets: { 'com.microsoft': 1 },
  });
}

/** The scoring graph: patch rows `[positions, D]` → Mahalanobis distance per position. */
function buildMahalanobisModel(model: PadimModel): Uint8Array {
  const { gridHeight, gridWidth, dimensions, channels } = model.header.features;
  const positions = gridHeight * gridWidth;
  const count = channels.length;
  return buildModel({
    name: 'padim_score',
    inputs: [{ name: 'rows', type: 'float32', shape: ['images', positions, dimensions] }],
    outputs: [{ name: 'distances', type: 'float32', shape: ['images', positions] }],
    nodes: [
      { op: 'Gather', inputs: ['rows', 'channels'], outputs: ['subset'], attributes: { axis: 2 } },
      { op: 'Sub', inputs: ['subset', 'mean'], outputs: ['difference'] },
      { op: 'Unsqueeze', inputs: ['difference', 'axis_two'], outputs: ['difference_row'] },
      { op: 'MatMul', inputs: ['difference_row', 'inverse'], outputs: ['weighted'] },
      { op: 'Mul', inputs: ['weighted', 'difference_row'], outputs: ['terms'] },
      { op: 'ReduceSum', inputs: ['terms', 'axes_reduce'], outputs: ['squared'], attributes: { keepdims: 0 } },
      { op: 'Relu', inputs: ['squared'], outputs: ['clamped'] },
      { op: 'Sqrt', inputs: ['clamped'], outputs: ['distances'] },
    ],
    initializers: [
      { name: 'channels', dims: [count], data: BigInt64Array.from(channels, BigInt) },
      { name: 'mean', dims: [positions, count], data: model.mean },
      { name: 'inverse', dims: [positions, count, count], data: model.inverseCovariance },
      { name: 'axis_two', dims: [1], data: BigInt64Array.from([2n]) },
      { name: 'axes_reduce', dims: [2], data: BigInt64Array.from([2n, 3n]) },
    ],
    opset: 17,
  });
}

async function fitGaussians(
  features: Float32Array,
  images: number,
  positions: number,
  dimensions: number,
  channels: readonly number[],
  regularisation: number,
  sessionOptions: SessionOptions,
): Promise<{ mean: Float32Array; inverseCovariance: Float32Array }> {
  const count = channels.length;
  const subset = new Float32Array(images * positions * count);
  for (let row = 0; row < images * positions; row++) {
    for (let index = 0; index < count; index++) subset[row * count + index] = features[row * dimensions + channels[index]!]!;
  }
  const session = await createSessionFromBytes(buildGaussianFitModel(count, regularisation), { cache: false, name: 'PaDiM fit graph', ...sessionOptions });
  try {
    const outputs = await session.run({
      features: { data: subset, dims: [images, positions, count] },
      scale: { data: Float32Array.from([1 / Math.max(1, images - 1)]), dims: [1] },
    });
    return { mean: outputs.mean!.data as Float32Array, inverseCovariance: outputs.inverse!.data as Float32Array };
  } finally {
    await session.dispose();
  }
}

async function scoreRows(model: PadimModel, rows: Float32Array, images: number, sessionOptions: SessionOptions): Promise<Float32Array> {
  const session = await createSessionFromBytes(buildMahalanobisModel(model), { cache: false, name: 'PaDiM score graph', ...sessionOptions });
  try {
    const { gridHeight, gridWidth, dimensions } = model.header.features;
    const { distances } = await session.run({ rows: { data: rows, dims: [images, gridHeight * gridWidth, dimensions] } });
    return distances!.data as Float32Array;
  } finally {
    await session.dispose();
  }
}

/**
 * Fits PaDiM on normal images (at least 2). Threshold rule as PatchCore's: more than 16 images,
 * 10 % held out and the highest held-out score (they then join the Gaussians); 2–16 images,
 * leave-one-out.
 */
export async function fitPadim(source: string | readonly string[], options: PadimFitOptions): Promise<PadimModel> {
  const { backbone, channels: channelCount = 128, regularisation = 0.01, seed = 0, batchSize = 8, onProgress, ...sessionOptions } = options;
  const files = await resolveTrainingImages(source);
  if (files.length < 2) throw new InvalidInputError({ message: `PaDiM needs at least 2 normal images to estimate its Gaussians, got ${files.length}`, property: 'data' });
  const { bankFiles, heldOutFiles } = splitHeldOut(files, thresholdHeldOutCount(files.length), seed);
  const pipeline: FeaturePipeline = await createFeaturePipeline(backbone, { poolSize: 1, ...sessionOptions });
  try {
    const { dimensions } = pipeline;
    const channels = shuffledIndices(dimensions, createRandom(seed + 1)).slice(0, Math.min(channelCount, dimensions)).sort((a, b) => a - b);
    // Held-out images come last: the threshold's Gaussians are fitted on the first `bankFiles` images.
    const images = await extractAll(pipeline, [...bankFiles, ...heldOutFiles], [], batchSize, onProgress);
    const grid = { height: images[0]!.gridHeight, width: images[0]!.gridWidth };
    const patchesPerImage = grid.height * grid.width;
    const features = concatenateRows(images.slice(0, bankFiles.length));
    const headerBase = {
      format: 'vad-anomaly-model' as const,
      detector: 'padim' as const,
      createdAt: new Date().toISOString(),
      backbone: backboneRecord(backbone),
      features: { gridHeight: grid.height, gridWidth: grid.width, dimensions, channels, regularisation },
      mapSigmaAt256: 4,
      training: { images: files.length, heldOut: heldOutFiles.length },
    };
    let gaussians = await fitGaussians(features, bankFiles.length, patchesPerImage, dimensions, channels, regularisation, sessionOptions);
    let threshold: ThresholdRecord;
    if (heldOutFiles.length > 0) {
      const rows = concatenateRows(images.slice(bankFiles.length));
      const distances = await scoreRows({ header: { ...headerBase, threshold: { score: 1, rule: 'user' } }, ...gaussians }, rows, heldOutFiles.length, sessionOptions);
      const scores = heldOutFiles.map((_, index) => maxOf(distances.subarray(index * patchesPerImage, (index + 1) * patchesPerImage)));
      threshold = { score: Math.max(...scores), rule: 'held-out-max', basis: scores };
      onProgress?.({ stage: 'threshold', done: 1, total: 1 });
      // Then the held-out images join the Gaussians (as in PatchCore's bank).
      gaussians = await fitGaussians(concatenateRows(images), files.length, patchesPerImage, dimensions, channels, regularisation, sessionOptions);
    } else {
      const scores: number[] = [];
      const rowSize = patchesPerImage * dimensions;
      onProgress?.({ stage: 'threshold', done: 0, total: bankFiles.length });
      for (let index = 0; index < bankFiles.length; index++) {
        const others = new Float32Array(features.length - rowSize);
        others.set(features.subarray(0, index * rowSize));
        others.set(features.subarray((index + 1) * rowSize), index * rowSize);
        const leaveOut = await fitGaussians(others, bankFiles.length - 1, patchesPerImage, dimensions, channels, regularisation, sessionOptions);
        const distances = await scoreRows({ header: { ...headerBase, threshold: { score: 1, rule: 'user' } }, ...leaveOut }, features.slice(index * rowSize, (index + 1) * rowSize), 1, sessionOptions);
        scores.push(maxOf(distances));
        onProgress?.({ stage: 'threshold', done: scores.length, total: bankFiles.length });
      }
      threshold = { score: Math.max(...scores), rule: 'leave-one-out-max', basis: scores };
    }
    return { header: { ...headerBase, threshold }, ...gaussians };
  } finally {
    await pipeline.dispose();
  }
}

export async function savePadimModel(file: string, model: PadimModel, options: { float16?: boolean } = {}): Promise<void> {
  const { gridHeight, gridWidth, channels } = model.header.features;
  const positions = gridHeight * gridWidth;
  await writeModelFile(
    file,
    {
      header: model.header,
      arrays: {
        mean: { data: model.mean, shape: [positions, channels.length] },
        inverse_covariance: { data: model.inverseCovariance, shape: [positions, channels.length, channels.length] },
      },
    },
    { float16: options.float16 ? ['inverse_covariance', 'mean'] : [] },
  );
}

export async function loadPadimModel(file: string, options: { backbone?: BackboneIdentity } = {}): Promise<PadimModel> {
  const { header, arrays } = await readModelFile<PadimHeader>(file);
  if (header.format !== 'vad-anomaly-model' || header.detector !== 'padim') {
    throw new ModelLoadError({ message: `model file ${file} holds a ${String(header.detector)} model, not PaDiM`, path: file });
  }
  const positions = header.features.gridHeight * header.features.gridWidth;
  const count = header.features.channels.length;
  const mean = arrays.mean;
  const inverse = arrays.inverse_covariance;
  if (!mean || !inverse || mean.data.length !== positions * count || inverse.data.length !== positions * count * count) {
    throw new ModelLoadError({ message: `model file ${file} lacks PaDiM's mean [${positions}×${count}] or inverse covariance`, path: file });
  }
  if (options.backbone) checkBackbone(file, header.backbone, options.backbone);
  return { header, mean: mean.data, inverseCovariance: inverse.data };
}

export interface PadimDetector extends AnomalyDetector {
  readonly kind: 'padim';
  readonly model: PadimModel;
}

export async function createPadimDetector(model: PadimModel, backbone: FeatureBackbone, options: SessionOptions & { threshold?: number; modelPath?: string } = {}): Promise<PadimDetector> {
  const { threshold = 0.5, modelPath, ...sessionOptions } = options;
  checkBackbone(modelPath ?? 'in memory', model.header.backbone, backbone);
  const pipeline = await createFeaturePipeline(backbone, { poolSize: 1, ...sessionOptions });
  let session: ModelSession | undefined;
  let renderer: AnomalyMapRenderer | undefined;
  try {
    session = await createSessionFromBytes(buildMahalanobisModel(model), { cache: false, name: 'PaDiM score graph', ...sessionOptions });
    renderer = await createAnomalyMapRenderer(sessionOptions);
  } catch (error) {
    await pipeline.dispose();
    await session?.dispose();
    throw error;
  }
  const { gridHeight, gridWidth, dimensions } = model.header.features;
  const scale = 1 / (2 * model.header.threshold.score);
  return {
    kind: 'padim',
    model,
    threshold,
    async predict(image, predictOptions: PredictOptions = {}): Promise<AnomalyPrediction> {
      const input: LoadedImage = await pipeline.prepare(image);
      const { rows } = (await pipeline.extract([input]))[0]!;
      const { distances } = await session!.run({ rows: { data: rows, dims: [1, gridHeight * gridWidth, dimensions] } });
      const grid = distances!.data as Float32Array;
      const rawScore = maxOf(grid);
      const { width, height } = mapSizeFor(input.originalWidth, input.originalHeight, predictOptions.mapMaxSide);
      const map = await renderer!.render(grid, gridWidth, gridHeight, width, height, (model.header.mapSigmaAt256 * Math.sqrt(width * height)) / 256);
      for (let index = 0; index < map.length; index++) map[index]! *= scale;
      const score = rawScore * scale;
      return { rawScore, score, isAnomalous: score > threshold, map, width, height };
    },
    async dispose() {
      await Promise.all([pipeline.dispose(), session!.dispose(), renderer!.dispose()]);
    },
  };
}
