import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { SessionOptions } from '@vad/models';
import type { FeatureBackbone } from './backbone.js';
import { f1MaxCalibration } from './calibrate.js';
import type { CommandProgress } from './command-progress.js';
import { loadLabelledImages } from './dataset.js';
import { loadDetector, resolveModelPath } from './load-detector.js';
import { readModelFile, writeModelFile } from './model-file.js';
import type { ThresholdRecord } from './model-record.js';

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
