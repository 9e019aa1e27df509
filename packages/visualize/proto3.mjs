import sharp from 'sharp';
const W = 1280, H = 720;
const img = Buffer.alloc(W * H * 3, 128);
async function run(name, overlays) {
  const times = [];
  for (let k = 0; k < 10; k++) {
    const t = performance.now();
    const o = overlays();
    await sharp(img, { raw: { width: W, height: H, channels: 3 } }).composite(o).removeAlpha().raw().toBuffer();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(name, times.slice(0, 3).map((x) => x.toFixed(1)).join(' '));
}
const small = Buffer.alloc(10 * 10 * 4, 200);
await run('1 tiny raw', () => [{ input: small, raw: { width: 10, height: 10, channels: 4 }, left: 5, top: 5 }]);
const label = Buffer.alloc(150 * 40 * 4, 200);
await run('50 labels raw', () => Array.from({ length: 50 }, (_, i) => ({ input: label, raw: { width: 150, height: 40, channels: 4 }, left: (i % 10) * 120, top: Math.floor(i / 10) * 140 })));
const strip = Buffer.alloc(100 * 2 * 4, 200);
await run('250 overlays raw', () => Array.from({ length: 250 }, (_, i) => ({ input: strip, raw: { width: 100, height: 2, channels: 4 }, left: (i % 10) * 120, top: Math.floor(i / 10) * 28 })));
const svgLabel = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="150" height="40"><rect width="150" height="40" fill="#A351FB"/></svg>`);
await run('50 labels svg', () => Array.from({ length: 50 }, (_, i) => ({ input: svgLabel, left: (i % 10) * 120, top: Math.floor(i / 10) * 140 })));
sharp.concurrency(2);
await run('50 labels svg conc2', () => Array.from({ length: 50 }, (_, i) => ({ input: svgLabel, left: (i % 10) * 120, top: Math.floor(i / 10) * 140 })));
await run('1 tiny raw conc2', () => [{ input: small, raw: { width: 10, height: 10, channels: 4 }, left: 5, top: 5 }]);
