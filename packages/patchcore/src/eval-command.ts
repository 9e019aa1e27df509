import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SessionOptions } from '@vad/models';
import type { FeatureBackbone } from './backbone.js';
import { fitOptionsOf, loadPresetBackbone, presetNamed, type PresetName } from './backbones.js';
import type { CommandProgress } from './command-progress.js';
import { loadMvtecDataset } from './dataset.js';
import { evaluateDetector, type EvaluationResult } from './evaluate.js';
import { renderOverlay } from './heatmap.js';
import { loadDetector } from './load-detector.js';
import { createPadimDetector, fitPadim } from './padim.js';
import { createPatchCoreDetector } from './patchcore-detector.js';
import { fitPatchCore } from './patchcore-fit.js';
import { readImageRgb } from './read-image.js';
import { writeReport, type GalleryItem } from './report.js';

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
