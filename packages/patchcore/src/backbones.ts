import { ModelLoadError } from '@vad/core';
import type { SessionOptions } from '@vad/models';
import type { FeatureBackbone } from './backbone.js';

/** Default backbone of new fits. */
export const defaultBackboneId = 'inception_v3';
/** Ids `loadFeatureBackbone` knows. */
export const backboneIds = ['inception_v3', 'mobilenet_v2'] as const;
export type BackboneId = (typeof backboneIds)[number];

export interface BackboneLoadOptions extends SessionOptions {
  /** Where imported backbones are cached (the host's cacheDir). */
  cacheDir?: string;
}

/** The offline default backbones of @vad/models as feature backbones. */
export async function loadFeatureBackbone(id: string, options: BackboneLoadOptions = {}): Promise<FeatureBackbone> {
  if (!(backboneIds as readonly string[]).includes(id)) {
    throw new ModelLoadError({ message: `unknown backbone "${id}"; known: ${backboneIds.join(', ')}` });
  }
  throw new ModelLoadError({ message: `backbone ${id} is not available yet (waiting on @vad/models loadBackbone)` , ...options && {} });
}
