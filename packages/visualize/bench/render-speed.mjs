// Render times of the visualization blocks on a 1280×720 frame (a real photo, already decoded, as
// in a video pipeline). Usage: pnpm --filter @vad/visualize bench  (after build).
import { readFileSync } from 'node:fs';
import { loadSharp, VadImage } from '@vad/core';
import { sharedPath } from '@vad/testing';
import {
  anomalyMapVisualization,
  blurVisualization,
  boundingBoxVisualization,
  circleVisualization,
  colorVisualization,
  cornerVisualization,
  dotVisualization,
  pixelateVisualization,
  heatmapVisualization,
  labelVisualization,
  textDisplay,
} from '../dist/index.js';
import { blobMap, scatteredDetections } from '../scripts/fixtures.mjs';

const width = 1280;
const height = 720;
const photo = sharedPath('datasets/photos/kite.jpg');
const sharp = await loadSharp();
const { data } = photo
  ? await sharp(readFileSync(photo)).resize(width, height, { fit: 'cover' }).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  : { data: Buffer.alloc(width * height * 3, 128) };
const frame = VadImage.fromPixels({ data: new Uint8Array(data), width, height });
await frame.pixels();

const context = { stepName: 'bench', streamId: 'bench', signal: new AbortController().signal, warn: () => {} };
const create = (block) => block.create({ stepName: 'bench', properties: {}, host: {} });

// Wall time, and CPU time of the whole process (this thread and libvips' threads): on a machine
// shared with other work the wall time waits for cores, the CPU time does not.
async function measure(name, iterations, once) {
  for (let i = 0; i < 10; i++) await once();
  const wall = [];
  const cpu = [];
  for (let i = 0; i < iterations; i++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await once();
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
  }
  const at = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))].toFixed(2);
  console.log(`${name.padEnd(58)} wall best ${at(wall, 0)} median ${at(wall, 0.5)} p90 ${at(wall, 0.9)} ms | cpu median ${at(cpu, 0.5)} ms`);
}

const boxes = await create(boundingBoxVisualization);
const labels = await create(labelVisualization);
const fifty = scatteredDetections(50, width, height);
const empty = { image: { width, height }, predictions: [] };

console.log(`frame ${width}×${height}${photo ? ' (kite.jpg)' : ' (gray: shared photos missing)'}; node ${process.version}; load ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
await measure('boxes + labels, 50 detections (two blocks)', 60, async () => {
  const boxed = await boxes.run({ image: frame, predictions: fifty }, context);
  await labels.run({ image: boxed.image, predictions: fifty, text: 'Class and Confidence', text_scale: 0.5, text_padding: 5 }, context);
});
await measure('boxes + labels, 50 detections, rounded, default label size', 60, async () => {
  const boxed = await boxes.run({ image: frame, predictions: fifty, roundness: 0.3 }, context);
  await labels.run({ image: boxed.image, predictions: fifty, text: 'Class and Confidence' }, context);
});
await measure('boxes only, 50 detections', 60, () => boxes.run({ image: frame, predictions: fifty }, context));
for (const [name, block] of [['dot', dotVisualization], ['circle', circleVisualization], ['corner', cornerVisualization], ['color', colorVisualization], ['blur', blurVisualization], ['pixelate', pixelateVisualization]]) {
  const instance = await create(block);
  await measure(`${name}, 50 detections`, 40, () => instance.run({ image: frame, predictions: fifty }, context));
}
await measure('boxes + labels, no detections', 200, async () => {
  const boxed = await boxes.run({ image: frame, predictions: empty }, context);
  await labels.run({ image: boxed.image, predictions: empty }, context);
});

const overlay = await create(anomalyMapVisualization);
const fullMap = blobMap(width, height, [{ x: 0.3, y: 0.6, sigma: 0.05, peak: 1 }, { x: 0.7, y: 0.3, sigma: 0.08, peak: 0.6 }], 0.5);
const smallMap = blobMap(256, 144, [{ x: 0.3, y: 0.6, sigma: 0.05, peak: 1 }, { x: 0.7, y: 0.3, sigma: 0.08, peak: 0.6 }], 0.5);
await measure('anomaly overlay, 1280×720 map, no contours', 60, () => overlay.run({ image: frame, anomaly_map: fullMap, show_contours: false }, context));
await measure('anomaly overlay, 1280×720 map, contours', 60, () => overlay.run({ image: frame, anomaly_map: fullMap }, context));
await measure('anomaly overlay, 256×144 map resized, no contours', 60, () => overlay.run({ image: frame, anomaly_map: smallMap, show_contours: false }, context));
await measure('anomaly overlay, 256×144 map resized, contours', 60, () => overlay.run({ image: frame, anomaly_map: smallMap }, context));

const heatmap = await create(heatmapVisualization);
let t = 0;
await measure('heatmap, 50 detections per frame (accumulating)', 40, () => heatmap.run({ image: frame, predictions: scatteredDetections(50, width, height - t++ % 7) }, context));
const text = await create(textDisplay);
await measure('text display, 3 lines with parameters', 60, () =>
  text.run({ image: frame, text: 'Camera {{ $parameters.camera }}\nDetections: {{ $parameters.count }}\nScore {{ $parameters.score }}', text_parameters: { camera: 'north', count: fifty, score: 0.87 } }, context),
);
