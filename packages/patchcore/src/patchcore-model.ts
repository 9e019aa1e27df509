import { ModelLoadError } from '@vad/core';
import type { Augmentation } from './augment.js';
import type { AutoSelectionRecord } from './auto-preset.js';
import type { InputGeometry } from './backbone.js';
import type { ContrastMode } from './feature-extraction.js';
import { readModelFile, writeModelFile } from './model-file.js';
import { checkBackbone, type BackboneIdentity, type BackboneRecord, type ThresholdRecord } from './model-record.js';
import { checkScoring, type ScoringRecord } from './scoring.js';

/** `fitPatchCore`'s share of training patches kept in the memory bank when none is given (the `texture` and `fast` presets'; the default preset keeps 2 %). */
export const defaultCoresetRatio = 0.1;

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

export async function savePatchCoreModel(file: string, model: PatchCoreModel, options: { float16?: boolean } = {}): Promise<void> {
  const { dimensions } = model.header.features;
  await writeModelFile(file, { header: model.header, arrays: { bank: { data: model.bank, shape: [model.header.bank.size, dimensions] } } }, { float16: options.float16 ? ['bank'] : [] });
}

/**
 * Reads a PatchCore model file. With `backbone`, refuses a model fitted on another backbone (id, taps
 * or feature shapes differ): its bank would be compared with features it was never made from.
 */
export async function loadPatchCoreModel(file: string, options: { backbone?: BackboneIdentity } = {}): Promise<PatchCoreModel> {
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
