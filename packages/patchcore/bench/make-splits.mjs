// Writes the fixed splits of the selection protocol (BENCHMARKS.md) as file lists under bench/splits/:
// `train` (the bank), `validation` (held-out normals: synthetic defects are drawn on them) and
// `test` (real defects, never used to choose). Paths are relative to <shared>/datasets.
// node bench/make-splits.mjs   (VAD_SHARED, default ../shared from the repository root)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRandom } from '../dist/random.js';

const shared = process.env.VAD_SHARED ?? path.resolve(import.meta.dirname, '../../../../shared');
const datasets = path.join(shared, 'datasets');
const random = createRandom(17);
const shuffled = (list) => {
  const out = [...list];
  for (let index = out.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [out[index], out[other]] = [out[other], out[index]];
  }
  return out;
};
const images = (folder) => readdirSync(path.join(datasets, folder)).filter((name) => /\.(png|jpe?g|bmp)$/i.test(name)).sort().map((name) => `${folder}/${name}`);
const mvtecTest = (root, goodCount, perDefect) => {
  const test = [];
  for (const defect of readdirSync(path.join(datasets, root, 'test')).sort()) {
    const files = images(`${root}/test/${defect}`);
    const chosen = defect === 'good' ? shuffled(files).slice(0, goodCount) : shuffled(files).slice(0, perDefect);
    for (const file of chosen.sort()) test.push({ path: file, defect, ...(defect !== 'good' && { mask: `${root}/ground_truth/${defect}/${path.parse(file).name}_mask.png` }) });
  }
  return test;
};
const write = (name, split) => {
  writeFileSync(path.join(import.meta.dirname, 'splits', `${name}.json`), `${JSON.stringify(split, null, 1)}\n`);
  console.log(name, 'train', split.train.length, 'validation', split.validation.length, 'test', split.test.length);
};

for (const category of ['hazelnut', 'transistor']) {
  const root = `mvtec_ad_reduced/${category}`;
  const normals = shuffled(images(`${root}/train/good`));
  write(category, { about: `MVTec AD ${category} (256 px, reduced): 40 of the 50 train images for the bank, 10 held out for validation; the whole test set`, train: normals.slice(0, 40).sort(), validation: normals.slice(40).sort(), test: mvtecTest(root, Infinity, Infinity) });
}
{
  const root = 'magnetic_tile/MT';
  const normals = shuffled(images(`${root}/train/good`));
  write('magnetic-tile', { about: 'Magnetic tile: 200 train images for the bank, 40 others held out for validation; test: 80 good and 20 of each defect type (seeded choice)', train: normals.slice(0, 200).sort(), validation: normals.slice(200, 240).sort(), test: mvtecTest(root, 80, 20) });
}
{
  // DeepPCB: defect-free templates are the normal images; a tested board's boxes, filled, are its mask.
  const root = 'deeppcb/PCBData';
  const pairs = [];
  for (const list of ['trainval.txt', 'test.txt']) {
    for (const line of readFileSync(path.join(datasets, root, list), 'utf8').split('\n').filter(Boolean)) {
      const [image, boxes] = line.trim().split(/\s+/);
      const base = `${root}/${image.replace(/\.jpg$/, '')}`;
      try { readFileSync(path.join(datasets, `${base}_test.jpg`), { flag: 'r' }).length; } catch { continue; }
      pairs.push({ template: `${base}_temp.jpg`, tested: `${base}_test.jpg`, boxes: `${root}/${boxes}` });
    }
  }
  const order = shuffled(pairs);
  write('deeppcb', {
    about: 'DeepPCB: templates of 200 pairs for the bank, of 40 others for validation; test: 60 tested boards of other pairs (mask: their defect boxes, filled) and the templates of 40 more pairs as good images',
    train: order.slice(0, 200).map((pair) => pair.template).sort(),
    validation: order.slice(200, 240).map((pair) => pair.template).sort(),
    test: [...order.slice(240, 280).map((pair) => ({ path: pair.template, defect: 'good' })), ...order.slice(280, 340).map((pair) => ({ path: pair.tested, defect: 'defect', boxes: pair.boxes }))].sort((a, b) => a.path.localeCompare(b.path)),
  });
}
