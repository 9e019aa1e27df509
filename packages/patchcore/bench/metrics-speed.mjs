// Exact pixel AUROC / AUPRO speed on 10^7 pixels (one radix argsort each).
import { readFileSync } from 'node:fs';
import { aupro, rocCurve } from '../dist/eval.js';
const width = 1000, height = 1000, images = 10;
const items = [];
for (let image = 0; image < images; image++) {
  const scores = new Float32Array(width * height), mask = new Uint8Array(width * height);
  for (let index = 0; index < scores.length; index++) {
    const x = index % width, y = Math.floor(index / width);
    mask[index] = (x - 300 - image * 20) ** 2 + (y - 400) ** 2 < 80 ** 2 ? 1 : 0;
    scores[index] = Math.sin(index * 12.9898) * 0.5 + (mask[index] ? 0.6 : 0);
  }
  items.push({ scores, mask, width, height });
}
const flatScores = new Float32Array(width * height * images), flatLabels = new Uint8Array(width * height * images);
items.forEach((item, index) => { flatScores.set(item.scores, index * width * height); flatLabels.set(item.mask, index * width * height); });
let cpu = process.cpuUsage();
let start = performance.now();
const { auroc } = rocCurve(flatScores, flatLabels, { maxPoints: 400 });
const rocMs = performance.now() - start;
const rocCpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
cpu = process.cpuUsage();
start = performance.now();
const pro = aupro(items);
const proMs = performance.now() - start;
const proCpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
console.log(JSON.stringify({ pixels: flatScores.length, auroc: +auroc.toFixed(4), rocMs: Math.round(rocMs), rocCpuMs: Math.round(rocCpuMs), aupro: +pro.toFixed(4), auproMs: Math.round(proMs), auproCpuMs: Math.round(proCpuMs), loadavg: readFileSync('/proc/loadavg', 'utf8').trim() }));
