// Real-image evaluation of Identify Outliers: `pnpm --filter @vad/outliers eval` (after build).
//
// A stream of magnetic-tile normal images (MT/train/good) with defect images (MT/test/<defect>)
// inserted at seeded positions runs through the real workflow — Image Embedding (the default
// backbone) → eight Identify Outliers steps (tail both/low × baseline sliding/frozen × warmup 3/32,
// window 32, threshold 0.05) — via @vad/core's createWorkflow. Prints precision and recall of
// is_outlier over the scored frames (warming_up false) for each setting, as a Markdown table.
//
// Options (environment): EVAL_NORMALS (300), EVAL_DEFECTS (15), EVAL_SEED (1), EVAL_ORDER
// ('name' — normal tiles in file-name order from a seeded start, like consecutive tiles of a line,
// or 'shuffled'), EVAL_WINDOW (32), EVAL_MODEL ('inception_v3' or 'mobilenet_v2'), EVAL_THRESHOLD (0.05), EVAL_INSERT
// ('defects' — magnetic-tile defect images; or 'foreign' — a wrong product: MVTec AD hazelnut and
// transistor images from datasets/mvtec_ad_reduced, as a contrast).
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createBlockRegistry, createWorkflow, VadImage } from '@vad/core';
import { embeddingBlocks } from '@vad/blocks-embedding';
import { sharedPath } from '@vad/testing';
import { outlierBlocks } from '../dist/index.js';

const normals = Number(process.env.EVAL_NORMALS ?? 300);
const defects = Number(process.env.EVAL_DEFECTS ?? 15);
const seed = Number(process.env.EVAL_SEED ?? 1);
const order = process.env.EVAL_ORDER ?? 'name';
const model = process.env.EVAL_MODEL ?? 'inception_v3';
const threshold = Number(process.env.EVAL_THRESHOLD ?? 0.05);
const insert = process.env.EVAL_INSERT ?? 'defects';
const windowSize = Number(process.env.EVAL_WINDOW ?? 32);
const firstDefectAt = 40; // after the longest warm-up (32), so every frozen reference is defect-free

const root = sharedPath('datasets/magnetic_tile/MT');
if (!root) process.exit(0);

function seededRandom(value) {
  let state = value >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const random = seededRandom(seed);
const shuffle = (items) => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
};

/** The stream: normal frames, and defects at seeded positions at least 3 frames apart, after `firstDefectAt`. */
export async function buildStream({ normals, defects, order, random, shuffle }) {
  const goodFolder = path.join(root, 'train/good');
  const good = (await readdir(goodFolder)).filter((f) => f.endsWith('.jpg')).sort();
  let normalFiles;
  if (order === 'shuffled') normalFiles = shuffle(good).slice(0, normals);
  else {
    const start = Math.floor(random() * Math.max(1, good.length - normals));
    normalFiles = good.slice(start, start + normals);
  }
  const allDefects = [];
  if (insert === 'foreign') {
    const mvtec = sharedPath('datasets/mvtec_ad_reduced');
    for (const product of ['hazelnut', 'transistor']) {
      const folder = path.join(mvtec, product, 'train/good');
      for (const file of (await readdir(folder)).sort()) allDefects.push({ type: product, file: path.join(folder, file) });
    }
  } else {
    const defectTypes = (await readdir(path.join(root, 'test'))).filter((name) => name !== 'good').sort();
    for (const type of defectTypes) {
      for (const file of (await readdir(path.join(root, 'test', type))).filter((f) => f.endsWith('.jpg')).sort()) allDefects.push({ type, file: path.join(root, 'test', type, file) });
    }
  }
  const shuffledDefects = shuffle(allDefects);
  const total = normals + defects;
  if (total - firstDefectAt < defects * 3) throw new Error(`${defects} defects need at least ${defects * 3} frames after frame ${firstDefectAt}; raise EVAL_NORMALS`);
  const positions = new Set();
  while (positions.size < defects) {
    const candidate = firstDefectAt + Math.floor(random() * (total - firstDefectAt));
    if ([...positions].every((p) => Math.abs(p - candidate) >= 3)) positions.add(candidate);
  }
  // Tiles were photographed in sessions (the `expN` prefix of the file name). In name order a defect
  // tile from another session would differ by session, not only by its defect: each inserted defect
  // comes from the session of the normal tile before it.
  const session = (file) => path.basename(file).split('_')[0];
  const frames = [];
  let nextNormal = 0;
  for (let index = 0; index < total; index++) {
    if (positions.has(index)) {
      const wanted = order === 'shuffled' || insert === 'foreign' ? undefined : session(frames.at(-1).file);
      const pick = shuffledDefects.findIndex((candidate) => wanted === undefined || session(candidate.file) === wanted);
      const [defect] = shuffledDefects.splice(pick, 1);
      frames.push({ defect: true, type: defect.type, file: defect.file });
    } else frames.push({ defect: false, type: 'good', file: path.join(goodFolder, normalFiles[nextNormal++]) });
  }
  return frames;
}

const settings = [];
for (const warmup of [3, 32]) for (const baseline of ['sliding', 'frozen']) for (const tail of ['both', 'low']) settings.push({ name: `o_${tail}_${baseline}_${warmup}`, tail, baseline, warmup });

const definition = {
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }],
  steps: [
    { type: 'vad/image_embedding@v1', name: 'embed', data: '$inputs.image', model },
    ...settings.map((s) => ({
      type: 'roboflow_core/identify_outliers@v1',
      name: s.name,
      embedding: '$steps.embed.embedding',
      threshold_percentile: threshold,
      warmup: s.warmup,
      window_size: windowSize,
      tail: s.tail,
      baseline: s.baseline,
    })),
  ],
  outputs: settings.flatMap((s) => [
    { type: 'JsonField', name: `${s.name}.is_outlier`, selector: `$steps.${s.name}.is_outlier` },
    { type: 'JsonField', name: `${s.name}.percentile`, selector: `$steps.${s.name}.percentile` },
    { type: 'JsonField', name: `${s.name}.warming_up`, selector: `$steps.${s.name}.warming_up` },
  ]),
};

function areaUnderRoc(scores, labels) {
  // Mann–Whitney: P(score of a defect > score of a normal), ties count one half.
  let pairs = 0;
  let wins = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!labels[i]) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j]) continue;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

const frames = await buildStream({ normals, defects, order, random, shuffle });
const workflow = createWorkflow(definition, { registry: createBlockRegistry([...embeddingBlocks(), ...outlierBlocks()]) });
const started = performance.now();
const results = [];
for (const frame of frames) {
  const image = await VadImage.fromBytes(await readFile(frame.file));
  results.push((await workflow.run({ inputs: { image }, streamId: 'line-1' })).outputs[0]);
}
const seconds = (performance.now() - started) / 1000;
await workflow.dispose();

console.log(`magnetic tile stream: ${normals} normal (${order} order) + ${defects} inserted ${insert === 'foreign' ? 'foreign products' : 'defects'} (${[...new Set(frames.filter((f) => f.defect).map((f) => f.type))].join(', ')}), seed ${seed}, model ${model}, threshold ${threshold}, window ${windowSize}`);
console.log(`defect positions: ${frames.map((f, i) => (f.defect ? `${i} (${f.type}, ${path.basename(f.file).split('_')[0]})` : '')).filter(Boolean).join(', ')}`);
console.log(`normal tiles: ${path.basename(frames.find((f) => !f.defect).file)} … ${path.basename(frames.findLast((f) => !f.defect).file)}`);
console.log(`${frames.length} frames in ${seconds.toFixed(1)} s (${((seconds * 1000) / frames.length).toFixed(0)} ms/frame, embedding included); loadavg ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('');
console.log('| tail | baseline | warmup | scored frames | flagged | TP | FP | FN | precision | recall | normal frames flagged | AUROC of 1 − percentile |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const s of settings) {
  let tp = 0, fp = 0, fn = 0, scored = 0, normalScored = 0;
  const scores = [];
  const labels = [];
  frames.forEach((frame, i) => {
    const record = results[i];
    if (record[`${s.name}.warming_up`]) return;
    scored++;
    const flagged = record[`${s.name}.is_outlier`];
    if (frame.defect) flagged ? tp++ : fn++;
    else {
      normalScored++;
      if (flagged) fp++;
    }
    scores.push(1 - record[`${s.name}.percentile`]);
    labels.push(frame.defect);
  });
  const precision = tp + fp === 0 ? NaN : tp / (tp + fp);
  console.log(
    `| ${s.tail} | ${s.baseline} | ${s.warmup} | ${scored} | ${tp + fp} | ${tp} | ${fp} | ${fn} | ${precision.toFixed(2)} | ${(tp / (tp + fn)).toFixed(2)} | ${((100 * fp) / normalScored).toFixed(1)} % | ${areaUnderRoc(scores, labels).toFixed(3)} |`,
  );
}
