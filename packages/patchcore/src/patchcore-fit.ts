import { InvalidInputError } from '@vad/core';
import type { SessionOptions } from '@vad/models';
import { checkAugmentations, type Augmentation } from './augment.js';
import type { FeatureBackbone, InputGeometry } from './backbone.js';
import { createFeaturePipeline, extractAll, rowCount, type ContrastMode } from './feature-extraction.js';
import { resolveTrainingImages } from './image-files.js';
import { backboneRecord, fullBankMaxImages, splitHeldOut, thresholdHeldOutCount, type FitProgress, type ThresholdRecord } from './model-record.js';
import { coresetBanks, prefixBanks } from './patchcore-bank.js';
import { defaultCoresetRatio, type PatchCoreModel } from './patchcore-model.js';
import { fewShotThreshold, heldOutThreshold } from './patchcore-threshold.js';
import { checkScoring, defaultScoring, type ScoringRecord } from './scoring.js';

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
  const { bankFiles, heldOutFiles } = splitHeldOut(files, thresholdHeldOutCount(files.length), seed);

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
