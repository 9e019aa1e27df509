// The MatMul rate ONNX Runtime reaches here (the FLOP bound's denominator): [n, k] × [k, m] float32.
import { buildModel, createSessionFromBytes } from '@vad/models';
import { readFileSync } from 'node:fs';
const n = 1024, k = 1024, m = 1024;
const session = await createSessionFromBytes(buildModel({
  inputs: [{ name: 'a', type: 'float32', shape: [n, k] }], outputs: [{ name: 'c', type: 'float32' }],
  nodes: [{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['c'] }],
  initializers: [{ name: 'b', dims: [k, m], data: new Float32Array(k * m).fill(0.01) }],
}), { cache: false });
const a = new Float32Array(n * k).fill(0.5);
for (let i = 0; i < 3; i++) await session.run({ a: { data: a, dims: [n, k] } });
let best = Infinity;
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  for (let i = 0; i < 10; i++) await session.run({ a: { data: a, dims: [n, k] } });
  best = Math.min(best, (performance.now() - t) / 10);
}
console.log(JSON.stringify({ gflops: +((2 * n * k * m) / best / 1e6).toFixed(1), msPerMatMul: +best.toFixed(2), loadavg: readFileSync('/proc/loadavg', 'utf8').trim() }));
