import { InvalidInputError } from '@vad/core';
import { fitCommand, selectionTable, writeDemoDataset, type Augmentation, type CommandProgress, type PresetName } from '@vad/patchcore';
import { calibrateCommand, evalCommand, summaryLine } from '@vad/patchcore/eval';
import type { Io } from '../program.js';
import { createProgressBar } from '../progress-bar.js';

function progressReporter() {
  const bar = createProgressBar();
  return { bar, onProgress: (progress: CommandProgress) => bar.update(progress.stage, progress.done, progress.total) };
}

export interface FitOptions {
  data: string;
  out: string;
  preset: string;
  backbone?: string;
  coresetRatio?: number;
  augment?: string;
  exposures?: string;
}

/** `vad demo`: writes the generated demo set (MVTec layout) into a new folder. */
export async function demoAction(options: { out: string }, io: Io): Promise<void> {
  const set = await writeDemoDataset(options.out).catch((error: Error) => {
    throw new InvalidInputError({ message: error.message, path: options.out, cause: error });
  });
  const defects = set.test.filter((image) => image.mask).length;
  io.print(`wrote ${set.root}: ${set.train.length} good training images (train/good), ${set.test.length - defects} good and ${defects} defective test images with masks (test/, ground_truth/)`);
}

/** `vad fit`: fits PatchCore on normal images with a progress bar, then writes the model. */
export async function fitAction(options: FitOptions, io: Io): Promise<void> {
  const { bar, onProgress } = progressReporter();
  const augmentations = listOf(options.augment) as Augmentation[];
  const exposureGains = options.exposures === undefined ? undefined : parseGains(options.exposures);
  const { data, out, backbone, coresetRatio } = options;
  const messages: string[] = [];
  const result = await fitCommand({
    data, out, preset: options.preset as PresetName | 'auto', backbone, coresetRatio, ...(augmentations.length > 0 && { augmentations }), ...(exposureGains && { exposureGains }), onProgress, onMessage: (message) => messages.push(message),
  }).finally(() => bar.finish());
  for (const message of messages) io.print(message);
  if (result.selection) io.print(selectionTable(result.selection));
  io.print(
    `wrote ${result.out}: ${result.detector} on ${result.backbone}, ${result.images} images, bank ${result.bankSize ?? '-'} patches, ` +
      `threshold ${result.threshold.score.toPrecision(4)} (${result.threshold.rule}), ${(result.milliseconds / 1000).toFixed(1)} s`,
  );
}

/** `vad eval`: metrics on an MVTec-layout folder and an HTML report with a heat-map gallery. */
export async function evalAction(options: { data: string; model?: string; report: string }, io: Io): Promise<void> {
  const { bar, onProgress } = progressReporter();
  const result = await evalCommand({ data: options.data, model: options.model, report: options.report, onProgress }).finally(() => bar.finish());
  const { samples: _samples, imageRoc: _imageRoc, pixelRoc: _pixelRoc, ...metrics } = result;
  io.print(JSON.stringify(metrics, null, 2));
  io.print(summaryLine(result)); // last, for scripts (also metrics.json's "summary")
}

/** `vad calibrate`: the F1-maximising threshold on labelled images, written into a model file. */
export async function calibrateAction(options: { model: string; data: string; out: string }, io: Io): Promise<void> {
  const { bar, onProgress } = progressReporter();
  const result = await calibrateCommand({ ...options, onProgress }).finally(() => bar.finish());
  io.print(
    `wrote ${result.out}: threshold ${result.before.score.toPrecision(4)} (${result.before.rule}) → ${result.after.score.toPrecision(4)} (f1-max) ` +
      `on ${result.images.normal} normal and ${result.images.anomalous} anomalous images: F1 ${result.f1.toFixed(3)}, precision ${result.precision.toFixed(3)}, recall ${result.recall.toFixed(3)}`,
  );
}

/** Comma-separated names or numbers, trimmed, empty ones dropped. */
function listOf(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

/** `--exposures`: `none`, or comma-separated gains; a word that is not a number is named. */
function parseGains(value: string): number[] {
  if (value.trim() === 'none') return [];
  return listOf(value).map((text) => {
    const gain = Number(text);
    if (!Number.isFinite(gain)) throw new InvalidInputError({ message: `--exposures: "${text}" is not a number (give gains such as 0.65,1.5, or none)`, property: 'exposures' });
    return gain;
  });
}
