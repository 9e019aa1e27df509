import { InvalidInputError } from '@vad/core';
import type { SessionOptions } from '@vad/models';
import type { FeatureBackbone } from './backbone.js';
import { f1MaxCalibration } from './calibrate.js';
import type { LabelledImage } from './dataset.js';
import { rowCount, type FeaturePipeline, type ImageFeatures } from './feature-extraction.js';
import type { FitProgress, ThresholdRecord } from './model-record.js';
import { createNearestNeighbourSearch, type NearestNeighbourSearch } from './nearest-neighbour.js';
import { createPatchCoreDetector } from './patchcore-detector.js';
import type { PatchCoreModel } from './patchcore-model.js';
import { combineViews, imageScoreOf, scoreImages, type ScoringRecord } from './scoring.js';

/** One image file's raw score against a bank, as a prediction would score it. */
async function imageScore(pipeline: FeaturePipeline, search: NearestNeighbourSearch, file: string, scoring: ScoringRecord): Promise<number> {
  const [scored] = await scoreImages(pipeline, search, [await pipeline.prepare(file)], scoring);
  return imageScoreOf(scored!.scores, scoring);
}

/** `held-out-max`: the highest image score of normal images the bank has not seen. */
export async function heldOutThreshold(
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
export async function fewShotThreshold(
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
