// Greedy k-center coreset: the ONNX Runtime step graph against a tight typed-array update.
// node bench/coreset.mjs [rows] [dimensions] [selections]
import { selectCoreset } from '../dist/coreset.js';
import { createRandom, gaussianMatrix } from '../dist/random.js';

const rows = Number(process.argv[2] ?? 168_000);
const dims = Number(process.argv[3] ?? 128);
const selections = Number(process.argv[4] ?? 1000);
const random = createRandom(1);
const features = gaussianMatrix(rows * dims, random);

let cpu = process.cpuUsage();
let start = performance.now();
const selected = await selectCoreset(features, rows, dims, { size: selections, projectionDimensions: dims, seed: 3 });
const onnxMs = performance.now() - start;
const onnxCpu = process.cpuUsage(cpu);
cpu = process.cpuUsage();

// Typed-array version of the same step: one pass over the rows per selected point.
start = performance.now();
const norms = new Float32Array(rows);
for (let r = 0; r < rows; r++) { let n = 0; for (let c = 0; c < dims; c++) n += features[r * dims + c] ** 2; norms[r] = n; }
const minDistances = new Float32Array(rows).fill(Infinity);
const selectedJs = new Int32Array(selections);
let next = selected[0];
for (let i = 0; i < selections; i++) {
  selectedJs[i] = next;
  const offset = next * dims;
  const pointNorm = norms[next];
  let best = -1, bestIndex = 0;
  for (let r = 0; r < rows; r++) {
    let dot = 0;
    const rowOffset = r * dims;
    for (let c = 0; c < dims; c++) dot += features[rowOffset + c] * features[offset + c];
    const d = norms[r] - 2 * dot + pointNorm;
    const m = d < minDistances[r] ? (minDistances[r] = d) : minDistances[r];
    if (m > best) { best = m; bestIndex = r; }
  }
  next = bestIndex;
}
const jsMs = performance.now() - start;
const jsCpu = process.cpuUsage(cpu);
const perStep = (usage) => +((usage.user + usage.system) / 1000 / selections).toFixed(3);
let agree = 0;
for (let i = 0; i < selections; i++) if (selected[i] === selectedJs[i]) agree++;
console.log(JSON.stringify({ rows, dims, selections, onnxMsPerStep: +(onnxMs / selections).toFixed(3), typedArrayMsPerStep: +(jsMs / selections).toFixed(3), onnxCpuMsPerStep: perStep(onnxCpu), typedArrayCpuMsPerStep: perStep(jsCpu), sameSelections: agree / selections, loadavg: (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim() }));
