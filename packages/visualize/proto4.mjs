import sharp from 'sharp';
const W = 1280, H = 720;
async function run(name, f) {
  const times = [];
  for (let k = 0; k < 10; k++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(name, times.slice(0, 3).map((x) => x.toFixed(1)).join(' '));
}
let boxes = '';
for (let i = 0; i < 50; i++) { const x = (i % 10) * 120 + 10, y = Math.floor(i / 10) * 140 + 40; boxes += `<rect x="${x}" y="${y}" width="100" height="90" fill="none" stroke="#A351FB" stroke-width="2"/><rect x="${x}" y="${y-40}" width="150" height="40" fill="#A351FB"/>`; }
const full = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${boxes}</svg>`);
await run('full svg raster', () => sharp(full).raw().toBuffer());
await run('full svg raster unpremult?', () => sharp(full).ensureAlpha().raw().toBuffer());
let atlas = '';
for (let i = 0; i < 50; i++) atlas += `<rect x="0" y="${i*40}" width="150" height="40" fill="#A351FB"/>`;
const at = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="160" height="${50*40}">${atlas}</svg>`);
await run('atlas raster', () => sharp(at).raw().toBuffer());
const tiny = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="2" height="2"/></svg>`);
await run('tiny svg', () => sharp(tiny).raw().toBuffer());
const img = new Uint8Array(W*H*3);
await run('js full blend', async () => { const a = new Uint8Array(W*H*4); for (let i=0,j=0;i<W*H;i++,j+=4){const al=a[j+3]; if(al===0)continue; img[i*3]=a[j];} });
