import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SessionOptions } from '@vad/models';
import { fitOptionsOf, loadFeatureBackbone, presets, type Preset } from './backbones.js';
import { evaluateDetector } from './evaluate.js';
import { resolveTrainingImages } from './image-files.js';
import { splitHeldOut, type FitProgress } from './model-record.js';
import { createPatchCoreDetector } from './patchcore-detector.js';
import { fitPatchCore } from './patchcore-fit.js';
import type { PatchCoreModel } from './patchcore-model.js';
import { readImageSize } from './read-image.js';
import { plainScoring } from './scoring.js';
import { writeSyntheticValidation } from './synthetic-defects.js';

/** Fewer normal images than this and `auto` fits the default preset instead (too few to hold any out). */
export const autoMinimumImages = 8;

/**
 * What `auto` tries (BENCHMARKS.md, "auto"): the default; the default with plain distances (no
 * median term); the default at a 256 px long side; the `texture` preset (single coarse tap,
 * exposure search); and, for images whose longer side is at least twice the default's, the default's
 * taps on 320 px tiles at the images' own resolution.
 */
export const autoCandidates: Readonly<Record<string, Preset>> = {
  default: presets.default,
  'default-plain': { ...presets.default, scoring: { ...plainScoring, imageTopShare: 0.01 } },
  'fit-256': { ...presets.default, inputSize: 256, geometry: { mode: 'fit', longSide: 256, minSide: 96 } },
  texture: presets.texture,
  'tile-320': { ...presets.default, geometry: { mode: 'tile', tile: 320, overlap: 0.25, maxSide: 2048 } },
};

/** The candidates worth trying for images whose median longer side is `longSide`. */
export function autoCandidatesFor(longSide: number): string[] {
  return Object.keys(autoCandidates).filter((name) => name !== 'tile-320' || longSide >= 640);
}

/** One candidate's validation result, recorded in the model file. */
export interface AutoCandidateRecord {
  readonly name: string;
  readonly preset: Preset;
  readonly validation: { readonly pixelAuroc: number; readonly imageAuroc: number; readonly aupro: number };
  readonly seconds: number;
}

/** How `auto` chose: recorded in the model file's header as `selection`. */
export interface AutoSelectionRecord {
  readonly winner: string;
  readonly reason: string;
  readonly candidates: readonly AutoCandidateRecord[];
  /** Normal images held out as validation, and the synthetic defects drawn on them. */
  readonly heldOut: number;
  readonly syntheticDefects: number;
  /** Images each candidate's bank was fitted on (a subset, to bound the time). */
  readonly candidateBankImages: number;
}

export interface AutoFitOptions extends SessionOptions {
  cacheDir?: string;
  seed?: number;
  onProgress?: (progress: FitProgress | { stage: 'auto'; done: number; total: number }) => void;
  /** Told when `auto` falls back or picks (the CLI prints it). */
  onMessage?: (message: string) => void;
}

/**
 * `--preset auto`: from normal images alone, holds some out (10–20 % up to 12), draws synthetic
 * defects on them (writeSyntheticValidation), fits each candidate on a subset of the rest (up to
 * 40 images) and keeps the one whose maps localise the synthetic defects best (pixel AUROC; the
 * default unless another beats it by more than `autoDefaultMargin`). The winner is then fitted on every image. Under
 * `autoMinimumImages` images it fits the default preset and says so.
 */
export async function fitAutoPatchCore(source: string | readonly string[], options: AutoFitOptions = {}): Promise<{ model: PatchCoreModel; preset: Preset }> {
  const { cacheDir, seed = 0, onProgress, onMessage, ...sessionOptions } = options;
  const files = await resolveTrainingImages(source);
  if (files.length < autoMinimumImages) {
    onMessage?.(`auto: ${files.length} normal image${files.length === 1 ? '' : 's'} are too few to hold any out (it needs ${autoMinimumImages}); fitting the default preset`);
    return { model: await fitPreset(files, presets.default, { cacheDir, seed, onProgress, ...sessionOptions }), preset: presets.default };
  }
  const heldOutCount = Math.min(12, Math.max(2, Math.round(files.length * 0.15)));
  const { bankFiles, heldOutFiles } = splitHeldOut(files, heldOutCount, seed);
  const candidateBank = splitHeldOut(bankFiles, Math.max(0, bankFiles.length - 40), seed + 1).bankFiles;
  const folder = await mkdtemp(path.join(os.tmpdir(), 'vad-auto-'));
  try {
    const validation = await writeSyntheticValidation(heldOutFiles, folder, { seed, perImage: Math.ceil(36 / heldOutFiles.length) });
    const records: AutoCandidateRecord[] = [];
    const names = autoCandidatesFor(await medianLongSide(heldOutFiles));
    for (const [index, name] of names.entries()) {
      onProgress?.({ stage: 'auto', done: index, total: names.length });
      const preset = autoCandidates[name]!;
      const started = performance.now();
      const backbone = await loadFeatureBackbone(preset.backbone, { cacheDir, taps: preset.taps, inputSize: preset.inputSize, ...sessionOptions });
      try {
        const model = await fitPatchCore(candidateBank, { ...fitOptionsOf(preset), backbone, seed, ...sessionOptions });
        const detector = await createPatchCoreDetector(model, backbone, sessionOptions);
        try {
          const result = await evaluateDetector(detector, validation);
          records.push({ name, preset, validation: { pixelAuroc: result.pixelAuroc!, imageAuroc: result.imageAuroc, aupro: result.aupro! }, seconds: (performance.now() - started) / 1000 });
        } finally {
          await detector.dispose();
        }
      } finally {
        await backbone.dispose();
      }
    }
    onProgress?.({ stage: 'auto', done: names.length, total: names.length });
    const { winner, reason } = chooseCandidate(records);
    onMessage?.(`auto: ${winner.name} — ${reason}`);
    const model = await fitPreset(files, winner.preset, { cacheDir, seed, onProgress, ...sessionOptions });
    const selection: AutoSelectionRecord = {
      winner: winner.name,
      reason,
      candidates: records,
      heldOut: heldOutFiles.length,
      syntheticDefects: validation.test.length - heldOutFiles.length,
      candidateBankImages: candidateBank.length,
    };
    return { model: { ...model, header: { ...model.header, selection } }, preset: winner.preset };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function medianLongSide(files: readonly string[]): Promise<number> {
  const sides = (await Promise.all(files.map(readImageSize))).map(({ width, height }) => Math.max(width, height)).sort((a, b) => a - b);
  return sides[Math.floor(sides.length / 2)]!;
}

/**
 * How much higher another candidate's validation pixel AUROC must be than the default's for it to
 * win: about that figure's spread over seeds of the synthetic defects (BENCHMARKS.md, "auto"), so
 * noise does not move a user off the default that held on every dataset.
 */
export const autoDefaultMargin = 0.005;

/** The highest validation pixel AUROC, unless the default is within `autoDefaultMargin` of it. */
export function chooseCandidate(records: readonly AutoCandidateRecord[]): { winner: AutoCandidateRecord; reason: string } {
  const ranked = [...records].sort((a, b) => b.validation.pixelAuroc - a.validation.pixelAuroc);
  const best = ranked[0]!;
  const pixel = (record: AutoCandidateRecord) => `${record.name} ${record.validation.pixelAuroc.toFixed(3)}`;
  const fallback = records.find((record) => record.name === 'default');
  if (fallback && fallback !== best && best.validation.pixelAuroc - fallback.validation.pixelAuroc <= autoDefaultMargin) {
    return { winner: fallback, reason: `the default kept: the best, ${pixel(best)}, is within ${autoDefaultMargin} of its ${fallback.validation.pixelAuroc.toFixed(3)} pixel AUROC on the synthetic defects (seed noise)` };
  }
  const runnerUp = ranked[1];
  return { winner: best, reason: `highest pixel AUROC on the synthetic defects (${best.validation.pixelAuroc.toFixed(3)}${runnerUp ? `; next ${pixel(runnerUp)}` : ''})` };
}

async function fitPreset(files: readonly string[], preset: Preset, options: AutoFitOptions): Promise<PatchCoreModel> {
  const { cacheDir, seed, onProgress, onMessage: _onMessage, ...sessionOptions } = options;
  const backbone = await loadFeatureBackbone(preset.backbone, { cacheDir, taps: preset.taps, inputSize: preset.inputSize, ...sessionOptions });
  try {
    return await fitPatchCore(files, { ...fitOptionsOf(preset), backbone, ...(seed !== undefined && { seed }), ...(onProgress && { onProgress }), ...sessionOptions });
  } finally {
    await backbone.dispose();
  }
}

/** The selection as a table for `vad fit` (one row per candidate, the winner marked). */
export function selectionTable(selection: AutoSelectionRecord): string {
  const rows = selection.candidates.map((record) => {
    const { taps, geometry, inputSize, coresetRatio } = record.preset;
    const input = geometry?.mode === 'fit' ? `long side ${geometry.longSide}` : geometry?.mode === 'tile' ? `${geometry.tile} px tiles` : `${inputSize}²`;
    return [record.name === selection.winner ? `* ${record.name}` : `  ${record.name}`, taps.join('+'), input, `${(coresetRatio * 100).toFixed(0)} %`, record.validation.pixelAuroc.toFixed(3), record.validation.aupro.toFixed(3), record.validation.imageAuroc.toFixed(3), `${record.seconds.toFixed(1)} s`];
  });
  const header = ['candidate', 'taps', 'input', 'coreset', 'pixel AUROC', 'AUPRO', 'image AUROC', 'time'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [
    `auto: ${selection.heldOut} held-out normal images, ${selection.syntheticDefects} synthetic defects, candidates fitted on ${selection.candidateBankImages} images`,
    line(header),
    ...rows.map(line),
    `chosen: ${selection.winner} — ${selection.reason}`,
  ].join('\n');
}
