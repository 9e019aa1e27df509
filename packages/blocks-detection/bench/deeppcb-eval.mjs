// Reference comparison on DeepPCB, class-agnostic: precision, recall and AP at IoU 0.5.
//   node bench/deeppcb-eval.mjs [--split test|trainval] [--alignment piecewise|translation|none] [--limit N]
// Needs ../shared/datasets/deeppcb (VAD_SHARED to move it). Uses the built package (pnpm build first).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { VadImage } from '@vad/core';
import { compareToReference } from '../dist/index.js';

const args = Object.fromEntries(process.argv.slice(2).join(' ').split('--').filter(Boolean).map((a) => a.trim().split(/\s+/)));
const split = args.split ?? 'test';
const alignment = args.alignment ?? 'piecewise';
const limit = Number(args.limit ?? Infinity);
const shared = process.env.VAD_SHARED ?? path.resolve(import.meta.dirname, '../../../../shared');
const root = path.join(shared, 'datasets/deeppcb/PCBData');
if (!existsSync(root)) throw new Error(`DeepPCB is missing at ${root} (set VAD_SHARED)`);

const pairs = readFileSync(path.join(root, `${split}.txt`), 'utf8').trim().split('\n')
  .map((line) => line.trim().split(/\s+/))
  .filter(([image]) => existsSync(path.join(root, image.replace('.jpg', '_test.jpg'))))
  .slice(0, limit);

const iou = (a, b) => {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]); // b may carry a 5th number (the defect type); only corners are read
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h);
};

const records = [];
let groundTruthCount = 0;
const started = performance.now();
for (const [image, annotation] of pairs) {
  const base = path.join(root, image.replace('.jpg', ''));
  const truth = readFileSync(path.join(root, annotation), 'utf8').trim().split('\n').map((l) => l.trim().split(/[\s,]+/).map(Number));
  groundTruthCount += truth.length;
  const [test, template] = await Promise.all([VadImage.fromBytes(readFileSync(`${base}_test.jpg`)), VadImage.fromBytes(readFileSync(`${base}_temp.jpg`))]);
  const { predictions } = await compareToReference(test, template, { alignment });
  records.push({ truth, predictions: predictions.predictions.map((p) => ({ score: p.confidence, box: [p.x - p.width / 2, p.y - p.height / 2, p.x + p.width / 2, p.y + p.height / 2] })) });
}
const seconds = (performance.now() - started) / 1000;

// Greedy matching in global score order; AP = area under the interpolated precision–recall curve (VOC, all points).
const all = records.flatMap((r, image) => r.predictions.map((p) => ({ ...p, image }))).sort((a, b) => b.score - a.score);
const used = records.map((r) => new Array(r.truth.length).fill(false));
let truePositives = 0;
const precision = [];
const recall = [];
for (const p of all) {
  let best = -1;
  let bestIou = 0.5;
  records[p.image].truth.forEach((t, j) => {
    const v = iou(p.box, t);
    if (v >= bestIou && !used[p.image][j]) {
      bestIou = v;
      best = j;
    }
  });
  if (best >= 0) {
    used[p.image][best] = true;
    truePositives++;
  }
  precision.push(truePositives / (precision.length + 1));
  recall.push(truePositives / groundTruthCount);
}
for (let k = precision.length - 2; k >= 0; k--) precision[k] = Math.max(precision[k], precision[k + 1]);
let ap = 0;
let previousRecall = 0;
for (let k = 0; k < precision.length; k++) {
  ap += (recall[k] - previousRecall) * precision[k];
  previousRecall = recall[k];
}
// the operating point with the best F1
let bestF1 = { f1: 0 };
{
  let tp = 0;
  const flags = [];
  const usedAgain = records.map((r) => new Array(r.truth.length).fill(false));
  for (const p of all) {
    let best = -1;
    let bestIou = 0.5;
    records[p.image].truth.forEach((t, j) => {
      const v = iou(p.box, t);
      if (v >= bestIou && !usedAgain[p.image][j]) { bestIou = v; best = j; }
    });
    if (best >= 0) { usedAgain[p.image][best] = true; tp++; }
    flags.push(tp);
  }
  flags.forEach((tp, k) => {
    const p = tp / (k + 1);
    const r = tp / groundTruthCount;
    const f1 = (2 * p * r) / (p + r || 1);
    if (f1 > bestF1.f1) bestF1 = { f1, precision: p, recall: r, score: all[k].score };
  });
}
const typeNames = { 1: 'open', 2: 'short', 3: 'mousebite', 4: 'spur', 5: 'copper', 6: 'pin-hole' };
const recallByType = {};
records.forEach((r, image) => r.truth.forEach((t, j) => {
  const name = typeNames[t[4]] ?? String(t[4]);
  recallByType[name] ??= [0, 0];
  recallByType[name][1]++;
  if (used[image][j]) recallByType[name][0]++;
}));
console.log(JSON.stringify({
  split, alignment, pairs: pairs.length, groundTruth: groundTruthCount, detections: all.length,
  ap50: +ap.toFixed(4),
  precisionAtAll: +(truePositives / all.length).toFixed(4), recallAtAll: +(truePositives / groundTruthCount).toFixed(4),
  bestF1: { f1: +bestF1.f1.toFixed(4), precision: +bestF1.precision.toFixed(4), recall: +bestF1.recall.toFixed(4), minScore: +bestF1.score.toFixed(4) },
  recallByType: Object.fromEntries(Object.entries(recallByType).map(([k, [found, total]]) => [k, +(found / total).toFixed(3)])),
  secondsPerPair: +(seconds / pairs.length).toFixed(3),
}));
