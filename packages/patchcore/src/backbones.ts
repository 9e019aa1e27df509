import { InvalidInputError } from '@vad/core';
import { loadBackbone, type BackboneName, type SessionOptions } from '@vad/models';
import type { FeatureBackbone, InputGeometry } from './backbone.js';
import { defaultCoresetRatio } from './patchcore-model.js';
import { defaultScoring, singleExposureScoring, type ScoringRecord } from './scoring.js';

/** Default backbone of new fits. */
export const defaultBackboneId = 'inception_v3';
/** Ids `loadFeatureBackbone` knows: @vad/models' offline default backbones. */
export const backboneIds = ['inception_v3', 'mobilenet_v2', 'resnet50'] as const;
export type BackboneId = (typeof backboneIds)[number];

/**
 * PatchCore's defaults per backbone: the taps and the square input size (pixels) that the
 * measurements in BENCHMARKS.md chose.
 */
export const backboneDefaults: Record<BackboneId, { taps: readonly string[]; inputSize: number }> = {
  inception_v3: { taps: ['mixed1', 'mixed5'], inputSize: 320 },
  mobilenet_v2: { taps: ['block_6_expand_relu', 'block_13_expand_relu'], inputSize: 224 },
  resnet50: { taps: ['layer2', 'layer3'], inputSize: 224 },
};

export interface BackboneLoadOptions extends SessionOptions {
  /** Where imported backbones are cached (the host's cacheDir). */
  cacheDir?: string;
  /** Layers to read features from, shallowest first (default: `backboneDefaults`). */
  taps?: readonly string[];
  /** Square input size in pixels (default: `backboneDefaults`). */
  inputSize?: number;
}

/** An offline default backbone of @vad/models (imported from its npm package once, cached as ONNX) as a feature backbone. */
export async function loadFeatureBackbone(id: string, options: BackboneLoadOptions = {}): Promise<FeatureBackbone> {
  if (!(backboneIds as readonly string[]).includes(id)) {
    throw new InvalidInputError({ message: `unknown backbone "${id}"; known: ${backboneIds.join(', ')}`, property: 'backbone' });
  }
  const defaults = backboneDefaults[id as BackboneId];
  const { cacheDir, taps = defaults.taps, inputSize = defaults.inputSize, ...session } = options;
  const backbone = await loadBackbone(id as BackboneName, { ...(cacheDir && { cacheDir }), taps, session });
  try {
    const probe = await backbone.runTensor({ data: new Float32Array(3 * inputSize * inputSize), dims: [1, 3, inputSize, inputSize] });
    const tapShapes = taps.map((tap) => {
      const [, channels, height, width] = probe.maps[tap]!.dims as [number, number, number, number];
      return { channels, height, width };
    });
    return {
      id,
      inputSize,
      normalization: backbone.preprocessing.normalization ?? 'unit',
      taps: [...taps],
      tapShapes,
      async run(input, dims) {
        const { maps } = await backbone.runTensor({ data: input, dims: [...dims] });
        return taps.map((tap) => ({ data: maps[tap]!.data, dims: maps[tap]!.dims }));
      },
      dispose: () => backbone.dispose(),
    };
  } catch (error) {
    await backbone.dispose();
    throw error;
  }
}

/**
 * Named fit presets, chosen by the selection protocol in BENCHMARKS.md (validation on synthetic
 * defects over four datasets, test reported apart):
 * - `default`: InceptionV3 mixed1 + mixed5 (strides 8 and 16), the longer side at 320 px with the
 *   aspect kept, coreset 2 %, the image median without the exposure search, the image scored by its
 *   top 1 % of patches, the map blurred by one grid cell — the best mean and worst-case validation
 *   pixel AUROC and AUPRO of the candidates;
 * - `texture`: InceptionV3 mixed5 at 192 px (square), coreset 10 %, exposure search and half the
 *   image median (`defaultScoring`) — the previous default, coarser maps but the best image AUROC on
 *   magnetic tile (surfaces whose lighting varies);
 * - `fine`: InceptionV3 mixed2 + mixed5 at 256 px (square), coreset 2 %, `singleExposureScoring`;
 * - `fast`: MobileNetV2 at 160 px, `singleExposureScoring` — the cheapest, with much lower accuracy.
 * `auto` (fitAutoPatchCore) chooses among candidates on the user's own images.
 */
export const presets = {
  default: {
    backbone: 'inception_v3',
    ...backboneDefaults.inception_v3,
    geometry: { mode: 'fit', longSide: 320, minSide: 96 },
    coresetRatio: 0.02,
    scoring: { ...singleExposureScoring, imageTopShare: 0.01 },
    mapSigmaCells: 1,
  },
  texture: { backbone: 'inception_v3', inputSize: 192, taps: ['mixed5'], coresetRatio: defaultCoresetRatio, scoring: defaultScoring },
  fine: { backbone: 'inception_v3', inputSize: 256, taps: ['mixed2', 'mixed5'], coresetRatio: 0.02, scoring: singleExposureScoring },
  fast: { backbone: 'mobilenet_v2', inputSize: 160, taps: backboneDefaults.mobilenet_v2.taps, coresetRatio: defaultCoresetRatio, scoring: singleExposureScoring },
} satisfies Record<string, Preset>;
export type PresetName = keyof typeof presets;

export interface Preset {
  readonly backbone: BackboneId;
  readonly inputSize: number;
  readonly taps: readonly string[];
  readonly coresetRatio: number;
  readonly scoring: ScoringRecord;
  /** How images are sized (default: stretched to `inputSize` square). */
  readonly geometry?: InputGeometry;
  /** Map blur σ in grid cells (default: 4 px at 256 px). */
  readonly mapSigmaCells?: number;
}

/** The preset called `name`; an unknown name is an error listing the known ones. */
export function presetNamed(name: string): Preset {
  if (!Object.hasOwn(presets, name)) {
    throw new InvalidInputError({ message: `unknown preset "${name}"; known: ${Object.keys(presets).join(', ')}, and auto for fits`, property: 'preset' });
  }
  return presets[name as PresetName];
}

/**
 * A fit's options from a preset (its backbone loaded separately). With another backbone (a
 * different `inputSize`), an aspect-keeping geometry keeps its mode at that backbone's own size.
 */
export function fitOptionsOf(preset: Preset, inputSize = preset.inputSize) {
  const geometry = preset.geometry?.mode === 'fit' && inputSize !== preset.inputSize ? { ...preset.geometry, longSide: inputSize, minSide: Math.min(preset.geometry.minSide, inputSize) } : preset.geometry;
  return {
    coresetRatio: preset.coresetRatio,
    scoring: preset.scoring,
    ...(geometry && { geometry }),
    ...(preset.mapSigmaCells !== undefined && { mapSigmaCells: preset.mapSigmaCells }),
  };
}

/** A preset's backbone with the preset's taps and input size; another backbone id uses its own defaults. */
export function loadPresetBackbone(preset: Preset, backboneId: string | undefined, options: BackboneLoadOptions): Promise<FeatureBackbone> {
  if (backboneId && backboneId !== preset.backbone) return loadFeatureBackbone(backboneId, options);
  return loadFeatureBackbone(preset.backbone, { inputSize: preset.inputSize, taps: preset.taps, ...options });
}
