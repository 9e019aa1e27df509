// OCR step speed, median ms per image: `pnpm --filter @vad/blocks-ocr bench` (after build).
// The OCR Model block's run() (Tesseract LSTM in WebAssembly, one worker thread) on images of text
// drawn with vad's font: a 640×160 label and a 1280×720 frame with a few words, plus a 1280×720
// frame with no text (where the sparse-text second pass runs). The worker's start is timed apart.
import os from 'node:os';
import { VadImage } from '@vad/core';
import { renderText } from '@vad/testing';
import { ocrModel } from '../dist/index.js';

const runs = Number(process.env.BENCH_RUNS ?? 15);
const context = { stepName: 'ocr', streamId: 'bench', signal: new AbortController().signal, warn() {} };

const label = await renderText({ width: 640, height: 160, background: '#f4f1e8', texts: [{ text: 'LOT 42A7', left: 40, baseline: 106, size: 72, color: '#202020' }] });
const frame = await renderText({
  width: 1280,
  height: 720,
  background: '#d8dde3',
  texts: [
    { text: 'BATCH 2024-11', left: 100, baseline: 200, size: 48, color: '#111111' },
    { text: 'EXP 03/27', left: 700, baseline: 500, size: 40, color: '#222222' },
    { text: 'SN 0815-3321-X', left: 160, baseline: 620, size: 36, color: '#222222' },
  ],
});
const blank = await renderText({ width: 1280, height: 720, background: '#d8dde3', texts: [] });
const cases = [
  ['label 640×160', label.png, 'LOT 42A7'],
  ['frame 1280×720, 3 lines', frame.png, 'BATCH 2024-11 EXP 03/27 SN 0815-3321-X'],
  ['frame 1280×720, no text', blank.png, ''],
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), loadavg ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${runs} runs each`);
const instance = await ocrModel.create({ stepName: 'ocr', properties: {}, host: {} });
const first = performance.now();
await instance.run({ images: await VadImage.fromBytes(label.png), confidence: 0.6 }, context);
console.log(`worker start + first label: ${(performance.now() - first).toFixed(0)} ms`);
for (const [name, png, expected] of cases) {
  const times = [];
  let result = '';
  for (let i = 0; i < runs; i++) {
    // A new image each run, so decoding its PNG is timed too (as for an image given to a workflow).
    const image = await VadImage.fromBytes(png);
    const started = performance.now();
    result = (await instance.run({ images: image, confidence: 0.6 }, context)).result;
    times.push(performance.now() - started);
  }
  const check = result === expected ? 'read as drawn' : `READ ${JSON.stringify(result)}`;
  console.log(`${name.padEnd(26)} median ${median(times).toFixed(1).padStart(7)} ms  (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})  ${check}`);
}
await instance.dispose();
