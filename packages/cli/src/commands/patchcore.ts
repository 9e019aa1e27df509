import { evalCommand, fitCommand, type CommandProgress, type PresetName } from '@vad/patchcore';
import type { Io } from '../program.js';
import { createProgressBar } from '../progress-bar.js';

function progressReporter() {
  const bar = createProgressBar();
  return { bar, onProgress: (progress: CommandProgress) => bar.update(progress.stage, progress.done, progress.total) };
}

/** `vad fit`: fits PatchCore on normal images with a progress bar, then writes the model. */
export async function fitAction(options: { data: string; out: string; preset: string; backbone?: string; coresetRatio?: number }, io: Io): Promise<void> {
  const { bar, onProgress } = progressReporter();
  const result = await fitCommand({ data: options.data, out: options.out, preset: options.preset as PresetName, backbone: options.backbone, coresetRatio: options.coresetRatio, onProgress }).finally(() => bar.finish());
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
}
