// Slicer + stitch overhead per 1920×1080 image with 640 px slices (overlap 0.2), without the model.
//   node bench/slice-stitch.mjs [iterations]
// The image is decoded once before timing (a detector needs its pixels anyway); each slice then
// gets 25 detections, so the stitch moves and NMS-filters 200 boxes.
import { VadImage } from '@vad/core';
import { sliceImage, stitchDetections } from '../dist/index.js';

const iterations = Number(process.argv[2] ?? 200);
const width = 1920;
const height = 1080;
const data = new Uint8Array(width * height * 3);
for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
const image = VadImage.fromPixels({ data, width, height });

let seed = 1;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
function fakeDetections(slice) {
  const predictions = Array.from({ length: 25 }, (_, k) => ({
    x: random() * 600 + 20, y: random() * 600 + 20, width: 20 + random() * 80, height: 20 + random() * 80,
    confidence: random(), class: `c${k % 5}`, class_id: k % 5, detection_id: `d${k}`, parent_id: slice.id,
  }));
  return { image: { width: slice.width, height: slice.height }, predictions, lineage: slice.lineage };
}

const slicing = [];
const cpu = [];
const stitching = [];
for (let i = 0; i < iterations + 20; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const slices = await sliceImage(image, { slice_width: 640, slice_height: 640, overlap_ratio_width: 0.2, overlap_ratio_height: 0.2 });
  const t1 = performance.now();
  const perSlice = slices.map(fakeDetections);
  const t2 = performance.now();
  const stitched = stitchDetections(image, perSlice, { strategy: 'nms', iouThreshold: 0.3 });
  const t3 = performance.now();
  const c1 = process.cpuUsage(c0);
  if (i >= 20) {
    slicing.push(t1 - t0);
    stitching.push(t3 - t2);
    cpu.push((c1.user + c1.system) / 1000 - (t2 - t1)); // CPU ms of slice + stitch (the fake-detection step is wall time, subtracted)
  }
  if (stitched.predictions.length === 0) throw new Error('no detections');
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p90 = (values) => values.sort((a, b) => a - b)[Math.floor(values.length * 0.9)];
const s = median([...slicing]);
const t = median([...stitching]);
console.log(`1920×1080, 640 px slices (8 slices), ${iterations} runs: slice median ${s.toFixed(2)} ms (p90 ${p90([...slicing]).toFixed(2)}), stitch of 200 boxes median ${t.toFixed(2)} ms (p90 ${p90([...stitching]).toFixed(2)}), total median ${(s + t).toFixed(2)} ms wall, ${median([...cpu]).toFixed(2)} ms CPU; load ${(await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim()}`);
