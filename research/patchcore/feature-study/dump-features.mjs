// Dumps raw tap maps (float32 NCHW) for train(200 seeded) + test(all) of an MVTec-layout dataset.
// --flip mirrors every image, --gain g scales its pixel values (both for augmentation studies).
import { parseArgs } from 'node:util';
import { openSync, writeSync, closeSync, writeFileSync, mkdirSync } from 'node:fs';
// research/ is no workspace package: the built @vad/patchcore and its own dependencies are imported by path.
const patchcore = new URL('../../../packages/patchcore/', import.meta.url);
const { loadFeatureBackbone } = await import(new URL('dist/index.js', patchcore));
const { loadMvtecDataset, readImageRgb } = await import(new URL('dist/eval.js', patchcore));
const { createRandom } = await import(new URL('dist/random.js', patchcore));
const { preprocessImages } = await import(new URL('node_modules/@vad/models/dist/index.js', patchcore));
const { default: sharp } = await import(new URL('node_modules/sharp/lib/index.js', patchcore));
const { values } = parseArgs({ options: { data: { type: 'string' }, taps: { type: 'string', default: 'mixed0,mixed1,mixed2,mixed3,mixed4,mixed5,mixed6,mixed7' }, size: { type: 'string', default: '256' }, train: { type: 'string', default: '200' }, out: { type: 'string' }, mask: { type: 'string', default: '64' }, flip: { type: 'boolean', default: false }, gain: { type: 'string', default: '1' }, 'match-mean': { type: 'string' }, backbone: { type: 'string', default: 'inception_v3' } } });
const size = Number(values.size);
const dataset = await loadMvtecDataset(values.data);
const pick = (list, count) => { if (list.length <= count) return list; const random = createRandom(0); const indices = list.map((_, i) => i); for (let i = indices.length - 1; i > 0; i--) { const o = Math.floor(random() * (i + 1)); [indices[i], indices[o]] = [indices[o], indices[i]]; } return indices.slice(0, count).sort((a, b) => a - b).map((i) => list[i]); };
const train = pick(dataset.train, Number(values.train));
const test = dataset.test;
const taps = values.taps.split(',');
const backbone = await loadFeatureBackbone(values.backbone, { taps, inputSize: size });
mkdirSync(values.out, { recursive: true });
const files = [...train, ...test.map((s) => s.path)];
const fds = taps.map((t) => openSync(`${values.out}/${t}.f32`, 'w'));
const shapes = {};
const sizes = [];
for (let start = 0; start < files.length; start += 8) {
  const batch = files.slice(start, start + 8);
  let images = await Promise.all(batch.map((f) => readImageRgb(f, () => ({ width: size, height: size }))));
  if (values.flip) images = images.map(mirrored);
  if (values['match-mean']) images = images.map((image) => brighter(image, Number(values['match-mean']) / meanOf(image)));
  if (values.gain !== '1') images = images.map((image) => brighter(image, Number(values.gain)));
  for (const im of images) sizes.push([im.originalWidth, im.originalHeight]);
  const { tensor } = await preprocessImages(images, { width: size, height: size, normalization: 'unit', kernel: 'cubic' });
  const maps = await backbone.run(tensor.data, [images.length, 3, size, size]);
  maps.forEach((m, i) => { shapes[taps[i]] = m.dims.slice(1); writeSync(fds[i], Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength)); });
  if (start % 80 === 0) console.error(start, files.length);
}
fds.forEach(closeSync);

/** The image mirrored left to right (`--flip`: features of the mirrored dataset, for test-time flips). */
function mirrored(image) {
  const out = new Uint8Array(image.data.length);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) out.set(image.data.subarray((y * image.width + image.width - 1 - x) * 3, (y * image.width + image.width - x) * 3), (y * image.width + x) * 3);
  }
  return { ...image, data: out };
}
/** Pixel values times `gain`, clamped (`--gain`: features of a darker or brighter dataset, for exposure-augmented banks). */
function brighter(image, gain) {
  return { ...image, data: Uint8Array.from(image.data, (value) => Math.min(255, Math.round(value * gain))) };
}
/** Mean pixel value (`--match-mean t`: every image scaled so that its mean is t, an exposure normalisation). */
function meanOf(image) {
  let sum = 0;
  for (const value of image.data) sum += value;
  return sum / image.data.length;
}
const M = Number(values.mask);
const masks = Buffer.alloc(test.length * M * M);
for (const [i, s] of test.entries()) {
  if (!s.maskPath) continue;
  const { data } = await sharp(s.maskPath).greyscale().resize(M, M, { fit: 'fill', kernel: 'nearest' }).raw().toBuffer({ resolveWithObject: true });
  for (let j = 0; j < M * M; j++) masks[i * M * M + j] = data[j] > 127 ? 1 : 0;
}
writeFileSync(`${values.out}/masks.u8`, masks);
writeFileSync(`${values.out}/meta.json`, JSON.stringify({ size, taps, shapes, train: train.length, test: test.map((s) => s.defect), files, mask: M, sizes }));
await backbone.dispose();
