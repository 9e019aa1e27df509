// Fits and evaluates one configuration on an MVTec-layout dataset; prints one JSON line.
// node bench/evaluate-config.mjs --data <dir> [--taps mixed5] [--size 192] [--ratio 0.1]
//   [--train 200] [--test-subset N] [--seed 0] [--detector patchcore|padim] [--image-only] [--pool 3]
//   [--exposures 0.65,1.5|none] [--median 1] (weight of the image median) (PatchCore scoring; default as fitPatchCore's)
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { defaultScoring, createPadimDetector, loadFeatureBackbone, createPatchCoreDetector, fitPadim, fitPatchCore } from '../dist/index.js';
import { auroc, evaluateDetector, loadMvtecDataset } from '../dist/eval.js';
import { createRandom } from '../dist/random.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' }, taps: { type: 'string', default: 'mixed5' }, size: { type: 'string', default: '192' },
    ratio: { type: 'string', default: '0.1' }, train: { type: 'string', default: '200' }, 'test-subset': { type: 'string' },
    seed: { type: 'string', default: '0' }, detector: { type: 'string', default: 'patchcore' }, 'image-only': { type: 'boolean', default: false },
    pool: { type: 'string', default: '3' }, backbone: { type: 'string', default: 'inception_v3' }, projection: { type: 'string', default: '128' },
    channels: { type: 'string', default: '128' }, scale: { type: 'string' }, augment: { type: 'string' }, weights: { type: 'string' }, contrast: { type: 'string', default: 'none' }, 'min-side': { type: 'string', default: '96' },
    exposures: { type: 'string', default: defaultScoring.exposureGains.join(',') }, median: { type: 'string', default: String(defaultScoring.imageMedianWeight) },
  },
});
const seed = Number(values.seed);
const scoring = { exposureGains: values.exposures === 'none' ? [] : values.exposures.split(',').map(Number), imageMedianWeight: Number(values.median) };
const dataset = await loadMvtecDataset(values.data);
const pick = (list, count) => {
  if (list.length <= count) return list;
  const random = createRandom(seed);
  const indices = list.map((_, index) => index);
  for (let index = indices.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [indices[index], indices[other]] = [indices[other], indices[index]];
  }
  return indices.slice(0, count).sort((a, b) => a - b).map((index) => list[index]);
};
const train = pick(dataset.train, Number(values.train));
const test = values['test-subset'] ? pick(dataset.test, Number(values['test-subset'])) : dataset.test;
const backbone = await loadFeatureBackbone(values.backbone, { taps: values.taps.split(','), inputSize: Number(values.size) });
const started = performance.now();
let memoryPeak = 0;
const timer = setInterval(() => { memoryPeak = Math.max(memoryPeak, process.memoryUsage().rss); }, 200);
const detector = values.detector === 'padim'
  ? await createPadimDetector(await fitPadim(train, { backbone, seed, channels: Number(values.channels) }), backbone)
  : await createPatchCoreDetector(await fitPatchCore(train, { backbone, seed, scoring, coresetRatio: Number(values.ratio), ...(values.augment && { augmentations: values.augment.split(',') }), ...(values.weights && { tapWeights: values.weights.split(',').map(Number) }), contrast: values.contrast, ...(values.scale && { geometry: { mode: 'scale', factor: Number(values.scale), minSide: Number(values['min-side']) } }), poolSize: Number(values.pool), projectionDimensions: Number(values.projection) }), backbone);
const fitSeconds = (performance.now() - started) / 1000;
const fitPeakGb = memoryPeak / 2 ** 30;
const mapMaxima = [];
const result = await evaluateDetector(detector, { ...dataset, test }, {
  imageOnly: values['image-only'],
  onSample(sample, prediction) { let best = -Infinity; for (const value of prediction.map) if (value > best) best = value; mapMaxima.push([sample.defect === 'good' ? 0 : 1, best]); },
});
const mapMaxAuroc = auroc(Float32Array.from(mapMaxima, (item) => item[1]), Uint8Array.from(mapMaxima, (item) => item[0]));
clearInterval(timer);
const round = (value) => (value === undefined ? undefined : +value.toFixed(4));
console.log(JSON.stringify({
  data: values.data.split('/').slice(-2).join('/'), detector: values.detector, backbone: values.backbone, taps: values.taps, size: Number(values.size), scale: values.scale ? Number(values.scale) : undefined, ratio: Number(values.ratio), augment: values.augment, exposures: values.exposures, median: values.median, weights: values.weights, contrast: values.contrast, pool: Number(values.pool),
  train: train.length, test: test.length, imageAuroc: round(result.imageAuroc), mapMaxImageAuroc: round(mapMaxAuroc), pixelAuroc: round(result.pixelAuroc), aupro: round(result.aupro), f1Max: round(result.f1Max.f1),
  atThreshold: { f1: round(result.atThreshold.f1), precision: round(result.atThreshold.precision), recall: round(result.atThreshold.recall) },
  perDefectImageAuroc: Object.fromEntries(Object.entries(result.perDefect).map(([name, set]) => [name, round(set.imageAuroc)])),
  fitSeconds: +fitSeconds.toFixed(1), fitPeakRssGb: +fitPeakGb.toFixed(2), predictMs: +result.timing.predictMillisecondsPerImage.toFixed(1), loadavg: readFileSync('/proc/loadavg', 'utf8').trim(),
}));
await detector.dispose();
await backbone.dispose();
