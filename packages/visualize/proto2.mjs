import opentype from 'opentype.js';
import sharp from 'sharp';
import { readFileSync } from 'node:fs';
const buf = readFileSync('node_modules/@fontsource/roboto/files/roboto-latin-500-normal.woff');
const font = opentype.parse(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
const W = 1280, H = 720;
const img = Buffer.alloc(W * H * 3, 128);
const glyphCache = new Map();
function glyphDef(g) {
  let e = glyphCache.get(g.index);
  if (!e) { e = g.getPath(0, 0, 100).toPathData(1); glyphCache.set(g.index, e); }
  return e;
}
function svgUse(withText, withBoxes) {
  const used = new Set();
  let body = '';
  const size = 30, scale = size / 100;
  for (let i = 0; i < 50; i++) {
    const x = (i % 10) * 120 + 10, y = Math.floor(i / 10) * 140 + 40;
    if (withBoxes) body += `<rect x="${x}" y="${y}" width="100" height="90" fill="none" stroke="#A351FB" stroke-width="2"/>`;
    if (!withText) continue;
    const label = `person ${(Math.random()).toFixed(2)}`;
    const glyphs = font.stringToGlyphs(label);
    body += `<rect x="${x}" y="${y - 40}" width="${font.getAdvanceWidth(label, 30) + 20}" height="40" fill="#A351FB"/>`;
    body += `<g fill="#fff" transform="translate(${x + 10} ${y - 10}) scale(${scale})">`;
    let pen = 0;
    for (const g of glyphs) {
      if (g.path.commands.length) { used.add(g); body += `<use href="#g${g.index}" x="${pen.toFixed(1)}"/>`; }
      pen += g.advanceWidth * 100 / font.unitsPerEm;
    }
    body += '</g>';
  }
  let defs = '<defs>';
  for (const g of used) defs += `<path id="g${g.index}" d="${glyphDef(g)}"/>`;
  defs += '</defs>';
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${W}" height="${H}">${defs}${body}</svg>`;
}
async function run(name, f) {
  const times = [];
  for (let k = 0; k < 12; k++) {
    const t = performance.now();
    const s = f();
    const t1 = performance.now();
    const { data, info } = await sharp(img, { raw: { width: W, height: H, channels: 3 } }).composite([{ input: Buffer.from(s), top: 0, left: 0 }]).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    times.push([(t1 - t), performance.now() - t, s.length]);
  }
  times.sort((a, b) => a[1] - b[1]);
  console.log(name, times.slice(0, 3).map((x) => x.map((v) => v.toFixed(1)).join('/')).join('  '));
}
await run('empty', () => `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"></svg>`);
await run('boxes', () => svgUse(false, true));
await run('use text', () => svgUse(true, true));
// raw only
{ const times=[]; for (let k=0;k<10;k++){const t=performance.now(); await sharp(img,{raw:{width:W,height:H,channels:3}}).raw().toBuffer(); times.push(performance.now()-t);} console.log('noop', Math.min(...times).toFixed(2)); }
console.log(sharp.concurrency(), sharp.versions);
