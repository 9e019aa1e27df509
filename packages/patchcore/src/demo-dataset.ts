import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadSharp } from '@vad/core';
import { createRandom } from '@vad/patchcore';

/**
 * A small inspection set the server makes itself, so a newcomer can fit and try PatchCore with
 * no data of their own: brushed-metal plates carrying a machined ring with four bolt holes, all
 * slightly shifted and rotated; test images add scratches or stains. Deterministic (seeded).
 */
export const demoVersion = 'v1';
export const demoSize = 256;
export const demoCounts = { train: 16, good: 2, scratch: 3, spot: 3 } as const;

export interface DemoImage {
  split: 'train' | 'test';
  label: 'good' | 'scratch' | 'spot';
  file: string;
  /** Absolute path on disk. */
  path: string;
}

export interface DemoDataset {
  root: string;
  train: DemoImage[];
  test: DemoImage[];
}

function partSvg(next: () => number, defect: 'good' | 'scratch' | 'spot'): string {
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
  let marks = '';
  if (defect === 'scratch') {
    const x0 = 40 + next() * 170;
    const y0 = 40 + next() * 170;
    const length = 35 + next() * 40;
    const direction = next() * Math.PI;
    const bend = (next() - 0.5) * 20;
    const x1 = x0 + Math.cos(direction) * length;
    const y1 = y0 + Math.sin(direction) * length;
    marks = `<path d="M${x0.toFixed(1)},${y0.toFixed(1)} Q${((x0 + x1) / 2 + bend).toFixed(1)},${((y0 + y1) / 2 - bend).toFixed(1)} ${x1.toFixed(1)},${y1.toFixed(1)}" stroke="#1a1410" stroke-width="${(2 + next() * 1.5).toFixed(1)}" stroke-linecap="round" fill="none" opacity="0.85"/>`;
  } else if (defect === 'spot') {
    const x = 45 + next() * 165;
    const y = 45 + next() * 165;
    marks = `<ellipse cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" rx="${(7 + next() * 6).toFixed(1)}" ry="${(5 + next() * 5).toFixed(1)}" fill="#6b3a12" opacity="0.8" filter="url(#soft)"/>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
  <defs>
    <radialGradient id="ring" cx="50%" cy="45%" r="60%"><stop offset="0" stop-color="#d8d8dc"/><stop offset="1" stop-color="#8c8c94"/></radialGradient>
    <filter id="soft"><feGaussianBlur stdDeviation="1.6"/></filter>
  </defs>
  <circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="98" fill="url(#ring)" opacity="0.55" stroke="#5a5a60" stroke-width="3"/>
  <circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="40" fill="#3a3a3f" stroke="#b0b0b6" stroke-width="4"/>
  ${holes}
  ${marks}
</svg>`;
}

async function renderImage(seed: number, defect: 'good' | 'scratch' | 'spot'): Promise<Buffer> {
  const sharp = await loadSharp();
  const next = createRandom(seed); // seeded: every run draws the same parts and defects
  // Brushed metal: gaussian noise squeezed horizontally and stretched back gives long streaks.
  const noise = await sharp({ create: { width: 24, height: demoSize, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 150, sigma: 18 } } }).png().toBuffer();
  const brushed = await sharp(noise).resize(demoSize, demoSize, { fit: 'fill', kernel: 'cubic' }).modulate({ saturation: 0.15 }).png().toBuffer();
  const grain = await sharp({ create: { width: demoSize, height: demoSize, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 6 } } }).png().toBuffer();
  return sharp(brushed)
    .composite([
      { input: grain, blend: 'soft-light' },
      { input: Buffer.from(partSvg(next, defect)) },
    ])
    .removeAlpha()
    .png({ compressionLevel: 6 })
    .toBuffer();
}

function plan(): Array<Omit<DemoImage, 'path'> & { seed: number }> {
  const list: Array<Omit<DemoImage, 'path'> & { seed: number }> = [];
  for (let i = 0; i < demoCounts.train; i++) list.push({ split: 'train', label: 'good', file: `good_${String(i).padStart(3, '0')}.png`, seed: 1000 + i });
  for (const label of ['good', 'scratch', 'spot'] as const) {
    for (let i = 0; i < demoCounts[label]; i++) list.push({ split: 'test', label, file: `${label}_${String(i).padStart(3, '0')}.png`, seed: 5000 + i * 7 + label.length * 131 });
  }
  return list;
}

const generating = new Map<string, Promise<DemoDataset>>();

/** Creates the set under `<cacheDir>/demo-<version>` once (later calls reuse the files). */
export function ensureDemoDataset(cacheDir: string): Promise<DemoDataset> {
  const root = path.join(cacheDir, `demo-${demoVersion}`);
  let promise = generating.get(root);
  if (!promise) {
    promise = (async () => {
      const images = plan();
      const marker = path.join(root, 'complete');
      const complete = await fs.access(marker).then(() => true, () => false);
      if (!complete) {
        const temporary = `${root}.tmp-${process.pid}`;
        await fs.rm(temporary, { recursive: true, force: true });
        await fs.mkdir(path.join(temporary, 'train'), { recursive: true });
        await fs.mkdir(path.join(temporary, 'test'), { recursive: true });
        for (const image of images) await fs.writeFile(path.join(temporary, image.split, image.file), await renderImage(image.seed, image.label));
        await fs.writeFile(path.join(temporary, 'complete'), new Date().toISOString());
        await fs.rm(root, { recursive: true, force: true });
        await fs.rename(temporary, root).catch(async (error) => {
          // Another process finished first: use its copy.
          await fs.rm(temporary, { recursive: true, force: true });
          if (!(await fs.access(marker).then(() => true, () => false))) throw error;
        });
      }
      const withPaths = images.map(({ seed: _seed, ...image }) => ({ ...image, path: path.join(root, image.split, image.file) }));
      return { root, train: withPaths.filter((i) => i.split === 'train'), test: withPaths.filter((i) => i.split === 'test') };
    })();
    promise.catch(() => generating.delete(root));
    generating.set(root, promise);
  }
  return promise;
}
