// Speed of the InceptionV3-to-mixed5 backbone: ONNX Runtime vs the TensorFlow.js (wasm) reference,
// beside the FLOP bound (multiply-adds of the graph / the fp32 MatMul rate ONNX Runtime reaches here).
// Usage: node bench/backbone-speed.mjs   (after `pnpm build`; VAD_BENCH_RUNS=10 for more runs)
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  buildModel,
  createSessionFromBytes,
  createSessionFromFile,
  countMultiplyAdds,
  decodeModel,
  encodeModel,
  loadBackbone,
  resolvePackageRoot,
} from '../dist/index.js';

const runs = Number(process.env.VAD_BENCH_RUNS ?? 10);
const cacheDir = process.env.VAD_CACHE_DIR ?? path.join(os.tmpdir(), 'vad-bench-cache');
const only = process.argv[2]; // 'onnx' | 'tfjs' | undefined (both)
const quick = process.argv[3] === 'quick'; // only the two best settings (more runs fit in the time)

async function best(label, body, count = runs) {
  await body(); // warm-up
  let fastest = Infinity;
  for (let run = 0; run < count; run++) {
    const start = performance.now();
    await body();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

console.log(`load average before: ${readFileSync('/proc/loadavg', 'utf8').trim()}, ${os.cpus().length} CPUs`);

// 1. the fp32 MatMul rate with 2 threads
const size = 1536; // ~7 GFLOP: large enough to be compute-bound, short enough (~50 ms) to catch quiet moments
const random = Float32Array.from({ length: size * size }, (_, index) => ((index * 7919) % 1000) / 1000 - 0.5);
const matmulBytes = buildModel({
  inputs: [{ name: 'a', type: 'float32', shape: [size, size] }],
  outputs: [{ name: 'c', type: 'float32' }],
  nodes: [{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['c'] }],
  initializers: [{ name: 'b', dims: [size, size], data: random }],
});
const rates = {};
for (const threads of [2, 1]) {
  const matmul = await createSessionFromBytes(matmulBytes, { intraOpThreads: threads, cache: false });
  const matmulMs = await best('matmul', () => matmul.run({ a: { data: random, dims: [size, size] } }), 30);
  rates[threads] = (2 * size ** 3) / (matmulMs / 1000); // FLOP/s
  console.log(`MatMul ${size}³ fp32, ${threads} thread(s): ${matmulMs.toFixed(1)} ms → ${(rates[threads] / 1e9).toFixed(1)} GFLOP/s`);
  await matmul.dispose();
}
const rate = rates[2];

// 2. the graph's multiply-adds at 299 px
const backbone = await loadBackbone('inception_v3', { cacheDir, session: { intraOpThreads: 2 } });
const graph = decodeModel(readFileSync(backbone.modelPath));
const { total, byOp } = countMultiplyAdds(graph, { input: [1, 3, 299, 299] });
const boundMs = ((2 * total) / rate) * 1000;
const boundOneThreadMs = ((2 * total) / rates[1]) * 1000;
console.log(`InceptionV3 → mixed5 at 299: ${(total / 1e9).toFixed(3)} GMAC (${JSON.stringify(Object.fromEntries(Object.entries(byOp).map(([op, n]) => [op, +(n / 1e9).toFixed(3)])))}) → FLOP bound ${boundMs.toFixed(1)} ms/image at the 2-thread rate, ${boundOneThreadMs.toFixed(1)} ms at the 1-thread rate`);

const image = (batch) => ({ data: Float32Array.from({ length: batch * 3 * 299 * 299 }, (_, index) => ((index * 31) % 255) / 255), dims: [batch, 3, 299, 299] });
const results = {};
if (only !== 'tfjs') {
  // 3. ONNX Runtime, a few settings
  const settings = [
    { label: 'intra 2, all', options: { intraOpThreads: 2, graphOptimization: 'all' } },
    { label: 'loadBackbone default: ORT default threads, all, no spin-waiting', options: { graphOptimization: 'all', configEntries: { 'session.intra_op.allow_spinning': '0' } } },
    { label: 'intra 2, all, no spin-waiting', options: { intraOpThreads: 2, graphOptimization: 'all', configEntries: { 'session.intra_op.allow_spinning': '0' } } },
    { label: 'intra 2, extended', options: { intraOpThreads: 2, graphOptimization: 'extended' } },
    { label: 'intra 1, all', options: { intraOpThreads: 1, graphOptimization: 'all' } },
    { label: 'default threads, all', options: { graphOptimization: 'all' } },
    { label: 'parallel branches: inter 2 × intra 1, all', options: { intraOpThreads: 1, interOpThreads: 2, executionMode: 'parallel', graphOptimization: 'all' } },
  ];
  // the same graph with a fixed input shape, to see whether static shapes help ONNX Runtime's planning
  const fixed = decodeModel(readFileSync(backbone.modelPath));
  fixed.graph.input[0].type.tensorType.shape.dim = [1, 3, 299, 299].map((dimValue) => ({ dimValue }));
  const fixedBytes = encodeModel(fixed);
  settings.push({ label: 'intra 2, all, fixed 1×3×299×299 input', options: { intraOpThreads: 2, graphOptimization: 'all' }, bytes: fixedBytes });
  for (const { label, options, bytes } of quick ? settings.filter((setting) => /no spin|intra 1,/.test(setting.label)) : settings) {
    const session = bytes ? await createSessionFromBytes(bytes, { ...options, cache: false }) : await createSessionFromFile(backbone.modelPath, { ...options, cache: false });
    for (const batch of bytes ? [1] : [1, 4]) {
      const input = image(batch);
      const ms = (await best(label, () => session.run({ input }))) / batch;
      results[`onnx ${label}, batch ${batch}`] = ms;
      const bound = options.intraOpThreads === 1 ? boundOneThreadMs : boundMs;
      console.log(`ONNX Runtime (${label}), batch ${batch}: ${ms.toFixed(1)} ms/image (${(ms / bound).toFixed(2)}× the ${options.intraOpThreads === 1 ? '1' : '2'}-thread bound)`);
    }
    await session.dispose();
  }
}
await backbone.dispose();

if (only !== 'tfjs') {
  // the fast option, for comparison
  const mobilenet = await loadBackbone('mobilenet_v2', { cacheDir, session: { intraOpThreads: 2 } });
  const macs = countMultiplyAdds(decodeModel(readFileSync(mobilenet.modelPath)), { input: [1, 3, 224, 224] }).total;
  const input = { data: new Float32Array(4 * 3 * 224 * 224).fill(0.5), dims: [4, 3, 224, 224] };
  const ms = (await best('mobilenet', () => mobilenet.runTensor(input))) / 4;
  console.log(`MobileNetV2 → block_13_expand_relu at 224: ${(macs / 1e9).toFixed(3)} GMAC, ONNX Runtime intra 2, batch 4: ${ms.toFixed(1)} ms/image`);
  await mobilenet.dispose();
}

if (only !== 'onnx') {
  // 4. the TensorFlow.js reference: the original nsfwjs model, wasm backend, to mixed5
  const tf = await import('@tensorflow/tfjs');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setThreadsCount(2); // only takes effect where the threaded wasm build loads
  await tf.setBackend('wasm');
  await tf.ready();
  const folder = path.join(resolvePackageRoot('nsfwjs'), 'dist', 'models', 'inception_v3');
  const require = createRequire(path.join(folder, 'index.js'));
  const json = require('./model.min.js');
  const group = json.weightsManifest[0];
  const bytes = Buffer.concat(group.paths.map((part) => Buffer.from(require(`./${part}.min.js`), 'base64')));
  const full = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }));
  const model = tf.model({ inputs: full.inputs, outputs: ['mixed2', 'mixed5'].map((name) => full.getLayer(name).output) });
  console.log(`tfjs ${tf.version.tfjs} backend ${tf.getBackend()}, wasm threads ${wasm.getThreadsCount()}, multithread support ${await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')}, simd ${await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')}`);
  for (const batch of [1]) {
    const input = tf.tensor(image(batch).data, [batch, 3, 299, 299]).transpose([0, 2, 3, 1]);
    const ms = (await best('tfjs', async () => {
      const outputs = model.predict(input);
      await Promise.all(outputs.map((output) => output.data()));
      outputs.forEach((output) => output.dispose());
    }, Math.min(runs, 4))) / batch;
    results[`tfjs wasm, batch ${batch}`] = ms;
    console.log(`TensorFlow.js wasm, batch ${batch}: ${ms.toFixed(1)} ms/image`);
  }
}
console.log(`load average after: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
