import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadSharp } from '@vad/core';
import { createRandom, gaussianMatrix } from './random.js';

/**
 * A small inspection set vad makes itself, so a newcomer can fit, evaluate and try PatchCore with
 * no data of their own: brushed-metal plates carrying a machined ring with four bolt holes, all
 * slightly shifted and rotated; test images add scratches or stains. Deterministic (seeded), in
 * the MVTec layout (`train/good`, `test/<label>`, `ground_truth/<label>/<name>_mask.png`), so
 * `vad fit`, `vad eval` and `vad calibrate` take it as it is.
 */
export const demoVersion = 'v3';
export const demoSize = 256;
export const demoCounts = { train: 16, good: 2, scratch: 3, spot: 3 } as const;

export type DemoLabel = 'good' | 'scratch' | 'spot';

export interface DemoImage {
  split: 'train' | 'test';
  label: DemoLabel;
  /** `<split>/<label>/<file>` below the set's root. */
  file: string;
  /** Absolute path on disk. */
  path: string;
  /** Absolute path of the defect's mask (defective test images only). */
  mask?: string;
}

export interface DemoDataset {
  root: string;
  train: DemoImage[];
  test: DemoImage[];
}

interface Part {
  /** The plate, ring and holes: the same for good and defective images. */
  body: string;
  /** The defect's shape in SVG, with `{paint:#colour}` where its colour goes ('' when good). */
  defect: string;
  /** How the defect sits on the part: a stain bleeds, a scratch is not quite black. */
  look: string;
}

function drawPart(next: () => number, label: DemoLabel): Part {
  const size = demoSize;
  const cx = size / 2 + (next() - 0.5) * 8;
  const cy = size / 2 + (next() - 0.5) * 8;
  const angle = (next() - 0.5) * 10;
  const holes = [0, 90, 180, 270]
    .map((deg) => {
      const rad = ((deg + angle + 45) * Math.PI) / 180;
      return `<circle cx="${(cx + Math.cos(rad) * 70).toFixed(1)}" cy="${(cy + Math.sin(rad) * 70).toFixed(1)}" r="9" fill="#2b2b2e" stroke="#9a9aa0" stroke-width="2"/>`;
    })
    .join('');
  let defect = '';
  let look = '';
  if (label === 'scratch') {
    const x0 = 40 + next() * 170;
    const y0 = 40 + next() * 170;
    const length = 35 + next() * 40;
    const direction = next() * Math.PI;
    const bend = (next() - 0.5) * 20;
    const x1 = x0 + Math.cos(direction) * length;
    const y1 = y0 + Math.sin(direction) * length;
    defect = `<path d="M${x0.toFixed(1)},${y0.toFixed(1)} Q${((x0 + x1) / 2 + bend).toFixed(1)},${((y0 + y1) / 2 - bend).toFixed(1)} ${x1.toFixed(1)},${y1.toFixed(1)}" stroke="{paint:#1a1410}" stroke-width="${(2 + next() * 1.5).toFixed(1)}" stroke-linecap="round" fill="none"/>`;
    look = 'opacity="0.85"';
  } else if (label === 'spot') {
    const x = 45 + next() * 165;
    const y = 45 + next() * 165;
    defect = `<ellipse cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" rx="${(7 + next() * 6).toFixed(1)}" ry="${(5 + next() * 5).toFixed(1)}" fill="{paint:#6b3a12}"/>`;
    look = 'opacity="0.8" filter="url(#soft)"';
  }
  const body = `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="98" fill="url(#ring)" opacity="0.55" stroke="#5a5a60" stroke-width="3"/>
  <circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="40" fill="#3a3a3f" stroke="#b0b0b6" stroke-width="4"/>
  ${holes}`;
  return { body, defect, look };
}

const paint = (svg: string, colour: (given: string) => string) => svg.replace(/\{paint:(#[0-9a-f]{6})\}/g, (_, given: string) => colour(given));

function partSvg(part: Part): string {
  const marks = part.defect && `<g ${part.look}>${paint(part.defect, (colour) => colour)}</g>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${demoSize}" height="${demoSize}">
  <defs>
    <radialGradient id="ring" cx="50%" cy="45%" r="60%"><stop offset="0" stop-color="#d8d8dc"/><stop offset="1" stop-color="#8c8c94"/></radialGradient>
    <filter id="soft"><feGaussianBlur stdDeviation="1.6"/></filter>
  </defs>
  ${part.body}
  ${marks}
</svg>`;
}

/** The defect's own shape in white on black, as MVTec masks are. */
function maskSvg(part: Part): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${demoSize}" height="${demoSize}"><rect width="100%" height="100%" fill="#000"/>${paint(part.defect, () => '#fff')}</svg>`;
}

async function renderImage(seed: number, label: DemoLabel): Promise<{ image: Buffer; mask?: Buffer }> {
  const sharp = await loadSharp();
  // Seeded, the noise too (sharp's own noise is not): every machine makes the same set, bit for bit.
  const next = createRandom(seed);
  const part = drawPart(next, label);
  const noise = (width: number, mean: number, sigma: number) => {
    const values = gaussianMatrix(width * demoSize * 3, next, sigma);
    return sharp(Uint8Array.from(values, (v) => Math.max(0, Math.min(255, Math.round(mean + v)))), { raw: { width, height: demoSize, channels: 3 } });
  };
  // Brushed metal: gaussian noise squeezed horizontally and stretched back gives long streaks.
  const brushed = await noise(24, 150, 18).resize(demoSize, demoSize, { fit: 'fill', kernel: 'cubic' }).modulate({ saturation: 0.15 }).png().toBuffer();
  const grain = await noise(demoSize, 128, 6).png().toBuffer();
  const image = await sharp(brushed)
    .composite([{ input: grain, blend: 'soft-light' }, { input: Buffer.from(partSvg(part)) }])
    .removeAlpha()
    .png({ compressionLevel: 6 })
    .toBuffer();
  if (!part.defect) return { image };
  const mask = await sharp(Buffer.from(maskSvg(part))).greyscale().threshold(128).png().toBuffer();
  return { image, mask };
}

interface Planned {
  split: 'train' | 'test';
  label: DemoLabel;
  name: string;
  seed: number;
}

function plan(): Planned[] {
  const list: Planned[] = [];
  for (let i = 0; i < demoCounts.train; i++) list.push({ split: 'train', label: 'good', name: String(i).padStart(3, '0'), seed: 1000 + i });
  for (const label of ['good', 'scratch', 'spot'] as const) {
    for (let i = 0; i < demoCounts[label]; i++) list.push({ split: 'test', label, name: String(i).padStart(3, '0'), seed: 5000 + i * 7 + label.length * 131 });
  }
  return list;
}

function located(root: string, planned: Planned): DemoImage {
  const file = `${planned.split}/${planned.label}/${planned.name}.png`;
  const image: DemoImage = { split: planned.split, label: planned.label, file, path: path.join(root, file) };
  if (planned.label !== 'good') image.mask = path.join(root, 'ground_truth', planned.label, `${planned.name}_mask.png`);
  return image;
}

function describeSet(root: string): DemoDataset {
  const images = plan().map((planned) => located(root, planned));
  return { root, train: images.filter((i) => i.split === 'train'), test: images.filter((i) => i.split === 'test') };
}

const markerFile = 'complete';
const exists = (file: string) => fs.access(file).then(() => true, () => false);

/**
 * Writes the set into `root` (which must not exist yet, or be a complete earlier copy): into a
 * temporary sibling first, renamed into place, so an interrupted run never leaves half a set.
 */
export async function writeDemoDataset(root: string): Promise<DemoDataset> {
  const resolved = path.resolve(root);
  if (await exists(path.join(resolved, markerFile))) return describeSet(resolved);
  if (await exists(resolved)) {
    const entries = await fs.readdir(resolved).catch(() => ['(not a folder)']);
    if (entries.length > 0) throw new Error(`${resolved} already exists and is not a demo set: choose a new folder`);
  }
  const temporary = `${resolved}.tmp-${process.pid}`;
  await fs.rm(temporary, { recursive: true, force: true });
  for (const planned of plan()) {
    const image = located(temporary, planned);
    const { image: png, mask } = await renderImage(planned.seed, planned.label);
    await fs.mkdir(path.dirname(image.path), { recursive: true });
    await fs.writeFile(image.path, png);
    if (mask && image.mask) {
      await fs.mkdir(path.dirname(image.mask), { recursive: true });
      await fs.writeFile(image.mask, mask);
    }
  }
  await fs.writeFile(path.join(temporary, markerFile), `vad demo set ${demoVersion}\n`);
  await fs.rm(resolved, { recursive: true, force: true });
  await fs.rename(temporary, resolved).catch(async (error) => {
    // Another process finished first: use its copy.
    await fs.rm(temporary, { recursive: true, force: true });
    if (!(await exists(path.join(resolved, markerFile)))) throw error;
  });
  return describeSet(resolved);
}

const generating = new Map<string, Promise<DemoDataset>>();

/** The set under `<cacheDir>/demo-<version>`, made once (later calls, and processes, reuse it). */
export function ensureDemoDataset(cacheDir: string): Promise<DemoDataset> {
  const root = path.join(cacheDir, `demo-${demoVersion}`);
  let promise = generating.get(root);
  if (!promise) {
    promise = writeDemoDataset(root);
    promise.catch(() => generating.delete(root));
    generating.set(root, promise);
  }
  return promise;
}
