// `--preset auto` on a fixed split (BENCHMARKS.md, "auto"): fitAutoPatchCore sees only the split's
// training images (it holds its own out and draws its own synthetic defects), then the chosen model
// is scored on the split's test set. The default preset is fitted on the same images for the time
// ratio. Compare the winner's test pixel AUROC with each candidate's in the selection sweep.
// node bench/auto-vs-candidates.mjs --split magnetic-tile [--seed 0]
import { parseArgs } from 'node:util';
import { loadSplit } from './splits.mjs';
import { createPatchCoreDetector, fitAutoPatchCore, fitOptionsOf, fitPatchCore, loadFeatureBackbone, presets } from '../dist/index.js';
import { evaluateDetector } from '../dist/eval.js';

const { values } = parseArgs({ options: { split: { type: 'string' }, seed: { type: 'string', default: '0' } } });
const seed = Number(values.seed);
const split = await loadSplit(values.split, { seed });
const round = (value) => +value.toFixed(4);

let started = performance.now();
const { model } = await fitAutoPatchCore(split.train, { seed });
const autoSeconds = (performance.now() - started) / 1000;
const backbone = await loadFeatureBackbone(model.header.backbone.id, { taps: model.header.backbone.taps, inputSize: model.header.backbone.inputSize });
const detector = await createPatchCoreDetector(model, backbone);
const test = await evaluateDetector(detector, split.test);
await detector.dispose();
await backbone.dispose();

const plain = await loadFeatureBackbone(presets.default.backbone, { taps: presets.default.taps, inputSize: presets.default.inputSize });
started = performance.now();
await fitPatchCore(split.train, { backbone: plain, seed, ...fitOptionsOf(presets.default) });
const defaultSeconds = (performance.now() - started) / 1000;
await plain.dispose();

const { selection } = model.header;
console.log(JSON.stringify({
  split: values.split, seed, train: split.train.length, winner: selection.winner, reason: selection.reason,
  candidates: Object.fromEntries(selection.candidates.map((record) => [record.name, round(record.validation.pixelAuroc)])),
  test: { pixelAuroc: round(test.pixelAuroc), imageAuroc: round(test.imageAuroc), aupro: round(test.aupro) },
  autoSeconds: +autoSeconds.toFixed(1), defaultFitSeconds: +defaultSeconds.toFixed(1), timeRatio: +(autoSeconds / defaultSeconds).toFixed(2),
}));
