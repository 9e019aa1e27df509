import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SessionOptions } from '@vad/models';
import { fitOptionsOf, loadFeatureBackbone, presets, type Preset } from './backbones.js';
import { resolveTrainingImages } from './dataset.js';
import { evaluateDetector } from './evaluate.js';
import { createPatchCoreDetector, fitPatchCore, splitHeldOut, type FitProgress, type PatchCoreModel } from './patchcore.js';
import { writeSyntheticValidation } from './synthetic-defects.js';

/** Fewer normal images than this and `auto` fits the default preset instead (too few to hold any out). */
export const autoMinimumImages = 8;

/**
 * What `auto` tries: the default, a finer input, a larger coreset, and the older single-tap
 * configuration that suits fine textures (BENCHMARKS.md, "auto").
 */
export const autoCandidates: Readonly<Record<string, Preset>> = {
  default: presets.default,
  'fit-384': { ...presets.default, geometry: { mode: 'fit', longSide: 384, minSide: 96 }, inputSize: 384 },
  'coreset-10%': { ...presets.default, coresetRatio: 0.1 },
  'mixed5-192': presets.default,
};

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
 * 40 images) and keeps the one whose maps localise the synthetic defects best (pixel AUROC; AUPRO
 * breaks near-ties within 0.002). The winner is then fitted on every image. Under
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
    const names = Object.keys(autoCandidates);
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

/** Highest validation pixel AUROC; within 0.002 of it, the higher AUPRO. */
export function chooseCandidate(records: readonly AutoCandidateRecord[]): { winner: AutoCandidateRecord; reason: string } {
  const ranked = [...records].sort((a, b) => b.validation.pixelAuroc - a.validation.pixelAuroc);
  const best = ranked[0]!;
  const close = ranked.filter((record) => best.validation.pixelAuroc - record.validation.pixelAuroc <= 0.002);
  const winner = close.reduce((top, record) => (record.validation.aupro > top.validation.aupro ? record : top));
  const runnerUp = ranked.find((record) => record !== winner);
  const reason =
    winner === best
      ? `highest pixel AUROC on the synthetic defects (${best.validation.pixelAuroc.toFixed(3)}${runnerUp ? `; next ${runnerUp.name} ${runnerUp.validation.pixelAuroc.toFixed(3)}` : ''})`
      : `pixel AUROC within 0.002 of the best (${winner.validation.pixelAuroc.toFixed(3)} vs ${best.name} ${best.validation.pixelAuroc.toFixed(3)}) and the higher AUPRO (${winner.validation.aupro.toFixed(3)} vs ${best.validation.aupro.toFixed(3)})`;
  return { winner, reason };
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
    const input = geometry?.mode === 'fit' ? `long side ${geometry.longSide}` : `${inputSize}²`;
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
