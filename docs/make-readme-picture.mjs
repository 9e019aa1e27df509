// Renders docs/demo-patchcore.jpg from vad's generated demo set (data the project makes):
// PatchCore fitted on the demo's normal plates, then the bundled inspection workflow on test plates.
// Usage: node docs/make-readme-picture.mjs   (after pnpm build)
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from '../apps/server/node_modules/sharp/lib/index.js';
import { createWorkflow, VadImage } from '../packages/core/dist/index.js';
import { ensureDemoDataset, fitCommand } from '../packages/patchcore/dist/index.js';
import { createStandardRegistry } from '../packages/standard/dist/index.js';

const root = path.dirname(fileURLToPath(import.meta.url));
const work = await mkdtemp(path.join(os.tmpdir(), 'vad-readme-'));
const demo = await ensureDemoDataset(work);
const modelsDir = path.join(work, 'models');
await fitCommand({ data: demo.train.map((image) => image.path), out: path.join(modelsDir, 'demo.vad') });
const { specification } = JSON.parse(await readFile(path.join(root, '../apps/server/workflows/examples/patchcore-inspection.json'), 'utf8'));
const { registry } = await createStandardRegistry({ plugins: [] });
const workflow = createWorkflow(specification, { registry, host: { modelsDir } });
const picks = ['good', 'scratch', 'spot'].map((label) => demo.test.find((image) => image.label === label));
const tiles = [];
for (const pick of picks) {
  const image = await VadImage.fromBytes(await readFile(pick.path));
  const [record] = (await workflow.run({ inputs: { image } })).outputs;
  console.log(pick.label, 'score', record.score.toFixed(3), 'anomalous', record.is_anomalous);
  tiles.push(await image.encode('png'), await record.overlay.encode('png'));
}
await workflow.dispose();
const size = 256;
const gap = 8;
const columns = tiles.length / 2;
const canvas = sharp({ create: { width: columns * (size * 2 + gap) - gap, height: size, channels: 3, background: '#ffffff' } });
const composites = tiles.map((input, index) => ({ input, left: Math.floor(index / 2) * (size * 2 + gap) + (index % 2) * size, top: 0 }));
await canvas.composite(composites).jpeg({ quality: 85, mozjpeg: true }).toFile(path.join(root, 'demo-patchcore.jpg'));
console.log('wrote docs/demo-patchcore.jpg');
