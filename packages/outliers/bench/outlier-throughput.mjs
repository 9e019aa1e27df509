// Throughput of the outlier statistics per frame: `pnpm --filter @vad/outliers bench` (after build).
// Measures the detectors directly and the block's run() (what the workflow engine calls), for
// 2048-d embeddings and window 32, after a warm-up that fills the window.
import { createChangeDetector, createOutlierDetector, identifyOutliers } from '../dist/index.js';

const dimension = Number(process.env.BENCH_DIMENSION ?? 2048);
const windowSize = Number(process.env.BENCH_WINDOW ?? 32);
const frames = Number(process.env.BENCH_FRAMES ?? 10000);

let seed = 1;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
const pool = Array.from({ length: 64 }, () => Float32Array.from({ length: dimension }, random));

// Wall time and this process's CPU time (user + system) per frame: on a shared machine the CPU
// time is the better measure of the work itself. The best of three rounds is kept.
function measure(name, step) {
  for (let i = 0; i < 2000; i++) step(pool[i % pool.length]);
  let wall = Infinity;
  let cpu = Infinity;
  for (let round = 0; round < 3; round++) {
    const cpuStart = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let i = 0; i < frames; i++) step(pool[i % pool.length]);
    wall = Math.min(wall, Number(process.hrtime.bigint() - started) / 1000 / frames);
    const used = process.cpuUsage(cpuStart);
    cpu = Math.min(cpu, (used.user + used.system) / frames);
  }
  console.log(`${name.padEnd(52)} wall ${wall.toFixed(1).padStart(7)} µs/frame   cpu ${cpu.toFixed(1).padStart(7)} µs/frame`);
}

console.log(`dimension ${dimension}, window ${windowSize}, ${frames} frames; node ${process.version}; loadavg ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const tail of ['both', 'low']) {
  for (const baseline of ['sliding', 'frozen']) {
    const detector = createOutlierDetector({ warmup: 3, windowSize, tail, baseline });
    measure(`identify outliers (tail ${tail}, baseline ${baseline})`, (e) => detector.update(e, 0.05));
  }
}
{
  const detector = createOutlierDetector({ warmup: 3, windowSize, engine: 'javascript' });
  measure('identify outliers (sliding, JavaScript products)', (e) => detector.update(e, 0.05));
}
const instance = await identifyOutliers.create({ stepName: 'outliers', properties: {}, host: {} });
const context = { stepName: 'outliers', streamId: 'bench', signal: new AbortController().signal, warn() {} };
measure('identify_outliers block run()', (e) => instance.run({ embedding: e, threshold_percentile: 0.05, warmup: 3, window_size: windowSize }, context));
for (const strategy of ['Exponential Moving Average (EMA)', 'Simple Moving Average (SMA)', 'Sliding Window']) {
  const detector = createChangeDetector({ strategy, windowSize: 10 });
  measure(`identify changes (${strategy})`, (e) => detector.update(e, { thresholdPercentile: 0.2, warmup: 3, smoothingFactor: 0.1 }));
}
