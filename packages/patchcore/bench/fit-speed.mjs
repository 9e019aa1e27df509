// Fit time and memory on 200 images (default configuration), by stage.
// /usr/bin/time -v node bench/fit-speed.mjs [--preset default|texture|fine|fast] [--data <dir>] [--train 200] [--ratio R] [--augment darker,brighter]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fitOptionsOf, fitPatchCore, loadFeatureBackbone, presets } from '../dist/index.js';
import { loadMvtecDataset } from '../dist/eval.js';
import { createRandom } from '../dist/random.js';

const { values } = parseArgs({ options: {
  data: { type: 'string', default: '/work/shared/datasets/magnetic_tile/MT' }, train: { type: 'string', default: '200' }, preset: { type: 'string', default: 'default' }, ratio: { type: 'string' }, projection: { type: 'string', default: '128' }, augment: { type: 'string' },
} });
const loadBefore = readFileSync('/proc/loadavg', 'utf8').trim();
const dataset = await loadMvtecDataset(values.data);
const random = createRandom(0);
const indices = dataset.train.map((_, index) => index);
for (let index = indices.length - 1; index > 0; index--) {
  const other = Math.floor(random() * (index + 1));
  [indices[index], indices[other]] = [indices[other], indices[index]];
}
const files = indices.slice(0, Number(values.train)).sort((a, b) => a - b).map((index) => dataset.train[index]);
const preset = presets[values.preset];
const backbone = await loadFeatureBackbone(preset.backbone, { inputSize: preset.inputSize, taps: preset.taps });
let peak = 0;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
const stages = {};
let stage = 'features';
let stageStart = performance.now();
let cpuStart = process.cpuUsage();
const close = () => {
  const cpu = process.cpuUsage(cpuStart);
  stages[stage] = { wallS: +((performance.now() - stageStart) / 1000).toFixed(1), cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(1) };
};
const start = performance.now();
const cpuAll = process.cpuUsage();
const model = await fitPatchCore(files, {
  backbone, ...fitOptionsOf(preset), coresetRatio: Number(values.ratio ?? preset.coresetRatio), projectionDimensions: Number(values.projection),
  ...(values.augment && { augmentations: values.augment.split(',') }),
  onProgress: (event) => {
    if (event.stage !== stage) { close(); stage = event.stage; stageStart = performance.now(); cpuStart = process.cpuUsage(); }
  },
});
close();
clearInterval(timer);
const cpu = process.cpuUsage(cpuAll);
console.log(JSON.stringify({
  preset: values.preset, augment: values.augment, images: files.length, projection: Number(values.projection), bank: model.header.bank.size, trainingPatches: model.header.bank.trainingPatches,
  wallS: +((performance.now() - start) / 1000).toFixed(1), cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(1), stages,
  peakRssGb: +(peak / 2 ** 30).toFixed(2), loadBefore, loadAfter: readFileSync('/proc/loadavg', 'utf8').trim(),
}));
await backbone.dispose();
