// End-to-end predict speed (decode → features → nearest neighbour → blurred map at image size)
// beside its FLOP bound: views × (backbone multiply-adds + patches × bank × dimensions) × 2 / the
// MatMul rate ONNX Runtime reaches here, measured in the same run (views: the image and its
// exposure-search views, 3 for the texture preset).
// node bench/predict-speed.mjs [--preset default|texture|fine|fast] [--backbone resnet50] [--size N] [--ratio R] [--data <mvtec dir>] [--train 50] [--resize 800x600]
// (--backbone: another backbone with its own default taps and size, scored as the preset scores;
// --resize: the test images are enlarged to that size first, to measure the cost on larger photos)
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { parseArgs } from 'node:util';
import { buildModel, countMultiplyAdds, createSessionFromBytes, decodeModel, importBackbone } from '@vad/models';
import { inputSizeFor } from '../dist/backbone.js';
import { backboneDefaults, createPatchCoreDetector, fitOptionsOf, fitPatchCore, loadFeatureBackbone, presets } from '../dist/index.js';
import { loadMvtecDataset } from '../dist/eval.js';

const { values } = parseArgs({ options: {
  preset: { type: 'string', default: 'default' }, backbone: { type: 'string' }, size: { type: 'string' }, ratio: { type: 'string' },
  data: { type: 'string', default: '/work/shared/datasets/mvtec_ad_reduced/hazelnut' }, train: { type: 'string', default: '50' }, runs: { type: 'string', default: '3' }, resize: { type: 'string' },
} });
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();
const loadBefore = loadavg();

// 1. MatMul rate: [1024, 1024] × [1024, 1024] float32, best of several.
const n = 1024;
const matmul = await createSessionFromBytes(buildModel({
  inputs: [{ name: 'a', type: 'float32', shape: [n, n] }], outputs: [{ name: 'c', type: 'float32' }],
  nodes: [{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['c'] }],
  initializers: [{ name: 'b', dims: [n, n], data: new Float32Array(n * n).fill(0.01) }],
}), { cache: false });
const a = new Float32Array(n * n).fill(0.5);
let matmulMs = Infinity;
const matmulCpuStart = process.cpuUsage();
for (let run = 0; run < 8; run++) {
  const start = performance.now();
  await matmul.run({ a: { data: a, dims: [n, n] } });
  matmulMs = Math.min(matmulMs, performance.now() - start);
}
const matmulCpu = process.cpuUsage(matmulCpuStart);
// FLOPs per CPU-second (all threads): a rate that the load on a shared machine does not change much.
const cpuRate = (8 * 2 * n ** 3) / ((matmulCpu.user + matmulCpu.system) / 1e6);
await matmul.dispose();
const rate = (2 * n ** 3) / (matmulMs / 1000);

// 2. Model: the preset fitted on the dataset's training images.
const preset = presets[values.preset];
const id = values.backbone ?? preset.backbone;
const own = values.backbone && values.backbone !== preset.backbone ? backboneDefaults[id] : preset;
const size = Number(values.size ?? own.inputSize);
const taps = own.taps;
const backbone = await loadFeatureBackbone(id, { inputSize: size, taps });
const dataset = await loadMvtecDataset(values.data);
const fitOptions = fitOptionsOf(preset, size);
const model = await fitPatchCore(dataset.train.slice(0, Number(values.train)), { backbone, ...fitOptions, coresetRatio: Number(values.ratio ?? preset.coresetRatio) });
const detector = await createPatchCoreDetector(model, backbone);
let files = dataset.test.map((sample) => sample.path);
const resized = values.resize && (await mkdtemp(path.join(os.tmpdir(), 'vad-predict-speed-')));
if (resized) {
  const [width, height] = values.resize.split('x').map(Number);
  files = await Promise.all(files.map(async (file, index) => {
    const out = path.join(resized, `${index}.png`);
    await sharp(file).resize(width, height, { fit: 'fill' }).toFile(out);
    return out;
  }));
}
const { width: imageWidth, height: imageHeight } = await sharp(files[0]).metadata();
const geometry = model.header.features.geometry;
if (geometry.mode === 'tile') throw new Error('predict-speed measures whole-image geometries (not tile)');
const input = inputSizeFor(geometry, imageWidth, imageHeight);

// 3. Multiply-adds: backbone at this size + nearest-neighbour MatMul, for every view scored.
const views = 1 + preset.scoring.exposureGains.length;
const graph = decodeModel(readFileSync(await importBackbone(id, { taps })));
const backboneMacs = views * countMultiplyAdds(graph, { input: [1, 3, input.height, input.width] }).total;
const patches = (await detector.predict(files[0])).gridScores.length;
const searchMacs = views * patches * model.header.bank.size * model.header.features.dimensions;
const boundMs = ((2 * (backboneMacs + searchMacs)) / rate) * 1000;
const boundCpuMs = ((2 * (backboneMacs + searchMacs)) / cpuRate) * 1000;
const boundAt160Ms = ((2 * (backboneMacs + searchMacs)) / 160e9) * 1000;

// 4. Predict each test image from its file, best of `runs` per image, averaged over images.
let total = 0;
const cpuStart = process.cpuUsage();
let calls = 0;
for (const file of files) {
  let best = Infinity;
  for (let run = 0; run < Number(values.runs); run++) {
    const start = performance.now();
    await detector.predict(file);
    calls++;
    best = Math.min(best, performance.now() - start);
  }
  total += best;
}
const predictMs = total / files.length;
const cpu = process.cpuUsage(cpuStart);
// CPU time per prediction (all threads): on an idle 2-core machine the wall time is between cpu/2 and cpu.
const predictCpuMs = (cpu.user + cpu.system) / 1000 / calls;
console.log(JSON.stringify({
  preset: values.preset, backbone: id, image: `${imageWidth}x${imageHeight}`, input: `${input.width}x${input.height}`, taps: taps.join('+'), views, bank: model.header.bank.size, dimensions: model.header.features.dimensions, patches,
  matmulGflops: +(rate / 1e9).toFixed(1), backboneGmac: +(backboneMacs / 1e9).toFixed(3), searchGmac: +(searchMacs / 1e9).toFixed(3),
  boundMs: +boundMs.toFixed(1), boundAt160GflopsMs: +boundAt160Ms.toFixed(1), matmulGflopsPerCpuSecond: +(cpuRate / 1e9).toFixed(1), boundCpuMs: +boundCpuMs.toFixed(1), predictMs: +predictMs.toFixed(1), predictCpuMs: +predictCpuMs.toFixed(1), ratioToBound: +(predictMs / boundMs).toFixed(2), cpuRatioToCpuBound: +(predictCpuMs / boundCpuMs).toFixed(2), images: files.length,
  loadBefore, loadAfter: loadavg(),
}));
await detector.dispose();
await backbone.dispose();
if (resized) await rm(resized, { recursive: true, force: true });
