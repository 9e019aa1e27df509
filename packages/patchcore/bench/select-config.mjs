// One candidate configuration on one dataset of the selection protocol (BENCHMARKS.md): fitted on the
// split's `train`, scored on its validation set (held-out normals + synthetic defects drawn on them,
// seeded) and on its `test` set (real defects). Prints one JSON line.
// node bench/select-config.mjs --split hazelnut [--seed 0] [--backbone inception_v3] [--taps mixed2,mixed5]
//   [--geometry square:192|fit:320|tile:320:0.25[:maxSide]] [--ratio 0.1] [--scoring default|single|plain] [--sigma-cells 1 | none]
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadSplit, splitNames } from './splits.mjs';
import { defaultScoring, singleExposureScoring, plainScoring, loadFeatureBackbone, createPatchCoreDetector, fitPatchCore } from '../dist/index.js';
import { auroc, evaluateDetector } from '../dist/eval.js';

const { values } = parseArgs({
  options: {
    split: { type: 'string' }, seed: { type: 'string', default: '0' }, backbone: { type: 'string', default: 'inception_v3' },
    taps: { type: 'string', default: 'mixed5' }, geometry: { type: 'string', default: 'square:192' }, ratio: { type: 'string', default: '0.1' },
    scoring: { type: 'string', default: 'default' }, 'sigma-cells': { type: 'string', default: 'none' }, 'test-only': { type: 'boolean', default: false },
  },
});
if (!splitNames.includes(values.split)) throw new Error(`--split must be one of ${splitNames.join(', ')}`);
const seed = Number(values.seed);
const [mode, side, overlap, maxSide] = values.geometry.split(':');
const geometry = {
  fit: { mode: 'fit', longSide: Number(side), minSide: 96 },
  square: { mode: 'square', size: Number(side) },
  tile: { mode: 'tile', tile: Number(side), overlap: Number(overlap ?? 0.25), ...(maxSide && { maxSide: Number(maxSide) }) },
}[mode];
const scoring = { default: defaultScoring, single: singleExposureScoring, plain: plainScoring }[values.scoring];
const split = await loadSplit(values.split, { seed });
const backbone = await loadFeatureBackbone(values.backbone, { taps: values.taps.split(','), inputSize: Number(side) });
const started = performance.now();
const model = await fitPatchCore(split.train, {
  backbone, seed, geometry, scoring, coresetRatio: Number(values.ratio),
  ...(values['sigma-cells'] !== 'none' && { mapSigmaCells: Number(values['sigma-cells']) }),
});
const fitSeconds = (performance.now() - started) / 1000;
const detector = await createPatchCoreDetector(model, backbone);
const round = (value) => (value === undefined ? undefined : +value.toFixed(4));
// Image scores other than the largest raw patch score, for comparison: the largest value of the
// blurred map, and the mean of the top 1 % of patch scores.
const evaluate = async (dataset) => {
  const alternatives = [];
  const result = await evaluateDetector(detector, dataset, {
    onSample(sample, prediction) {
      let mapMax = -Infinity;
      for (const value of prediction.map) if (value > mapMax) mapMax = value;
      const sorted = Float32Array.from(prediction.gridScores).sort().reverse();
      const top = sorted.subarray(0, Math.max(1, Math.round(sorted.length / 100)));
      alternatives.push([sample.defect === 'good' ? 0 : 1, mapMax, top.reduce((sum, value) => sum + value, 0) / top.length]);
    },
  });
  const labels = Uint8Array.from(alternatives, (item) => item[0]);
  return {
    imageAuroc: round(result.imageAuroc), pixelAuroc: round(result.pixelAuroc), aupro: round(result.aupro),
    mapMaxImageAuroc: round(auroc(Float32Array.from(alternatives, (item) => item[1]), labels)),
    topPercentImageAuroc: round(auroc(Float32Array.from(alternatives, (item) => item[2]), labels)),
    predictMs: +result.timing.predictMillisecondsPerImage.toFixed(1),
    perDefectPixelAuroc: Object.fromEntries(Object.entries(result.perDefect).map(([defect, set]) => [defect, round(set.pixelAuroc)])),
  };
};
const validation = values['test-only'] ? undefined : await evaluate(split.validation);
const test = await evaluate(split.test);
console.log(JSON.stringify({
  split: values.split, seed, backbone: values.backbone, taps: values.taps, geometry: values.geometry, ratio: Number(values.ratio), scoring: values.scoring, sigmaCells: values['sigma-cells'],
  train: split.train.length, bank: model.header.bank.size, validation, test, fitSeconds: +fitSeconds.toFixed(1),
}));
await detector.dispose();
await backbone.dispose();
await rm(split.validation.root, { recursive: true, force: true });
