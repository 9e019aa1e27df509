import { statSync } from 'node:fs';
import path from 'node:path';
import { ModelLoadError } from '@vad/core';
import type { SessionOptions } from '@vad/models';
import type { FeatureBackbone } from './backbone.js';
import { loadFeatureBackbone } from './backbones.js';
import type { AnomalyDetector } from './detector.js';
import { readModelFile } from './model-file.js';
import { createPadimDetector, loadPadimModel } from './padim.js';
import { createPatchCoreDetector } from './patchcore-detector.js';
import { loadPatchCoreModel } from './patchcore-model.js';

/** File name ending of vad anomaly models. */
export const modelFileExtension = '.vad';

/**
 * A model id or path → the file: absolute paths as they are; others inside `modelsDir` (when
 * given) before the working directory; `.vad` is appended when the name has no such file.
 */
export function resolveModelPath(model: string, modelsDir?: string): string {
  const candidates: string[] = [];
  const bases = path.isAbsolute(model) ? [''] : [...(modelsDir ? [modelsDir] : []), process.cwd()];
  for (const base of bases) {
    const full = path.resolve(base, model);
    candidates.push(full, `${full}${modelFileExtension}`, path.join(full, `model${modelFileExtension}`));
  }
  const file = candidates.find(isFile);
  if (!file) {
    throw new ModelLoadError({ message: `anomaly model "${model}" not found (looked for ${candidates.join(', ')})`, path: model });
  }
  return file;
}

function isFile(candidate: string): boolean {
  try {
    return statSync(candidate).isFile();
  } catch {
    return false;
  }
}

export interface LoadDetectorOptions extends SessionOptions {
  /** Folder where model ids are looked up (the host's modelsDir). */
  modelsDir?: string;
  /** Where imported backbones are cached (the host's cacheDir). */
  cacheDir?: string;
  /** Normalised threshold override (default 0.5: the model's own). */
  threshold?: number;
  /** A backbone already loaded (else the one the model names is loaded). */
  backbone?: FeatureBackbone;
}

/** Opens a PatchCore or PaDiM model file with its backbone, checked against the file's record. */
export async function loadDetector(model: string, options: LoadDetectorOptions = {}): Promise<AnomalyDetector & { readonly backbone: FeatureBackbone; readonly file: string }> {
  const { modelsDir, cacheDir, threshold, backbone: given, ...sessionOptions } = options;
  const file = resolveModelPath(model, modelsDir);
  const { header } = await readModelFile<{ detector?: string; backbone?: { id?: string; taps?: string[]; inputSize?: number } }>(file);
  const backboneId = header.backbone?.id;
  if (!backboneId) throw new ModelLoadError({ message: `model file ${file} names no backbone`, path: file });
  const backbone = given ?? (await loadFeatureBackbone(backboneId, { cacheDir, ...sessionOptions, ...(header.backbone?.taps && { taps: header.backbone.taps }), ...(header.backbone?.inputSize && { inputSize: header.backbone.inputSize }) }));
  try {
    const detectorOptions = { ...sessionOptions, modelPath: file, ...(threshold !== undefined && { threshold }) };
    let detector: AnomalyDetector;
    if (header.detector === 'patchcore') detector = await createPatchCoreDetector(await loadPatchCoreModel(file, { backbone }), backbone, detectorOptions);
    else if (header.detector === 'padim') detector = await createPadimDetector(await loadPadimModel(file, { backbone }), backbone, detectorOptions);
    else throw new ModelLoadError({ message: `model file ${file} holds an unknown detector "${String(header.detector)}"`, path: file });
    return Object.assign(Object.create(null), detector, {
      backbone,
      file,
      predict: detector.predict.bind(detector),
      async dispose() {
        await detector.dispose();
        if (!given) await backbone.dispose();
      },
    });
  } catch (error) {
    if (!given) await backbone.dispose();
    throw error;
  }
}
