import { readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

export const defectTypes = ['blowhole', 'break', 'crack', 'fray', 'uneven'] as const;

/** Normal images of the magnetic-tile set (train/good), in name order. */
export function normalImages(root: string): string[] {
  const folder = path.join(root, 'train', 'good');
  return readdirSync(folder).filter((name) => name.endsWith('.jpg')).sort().map((name) => path.join(folder, name));
}

/**
 * Per defect type, the test image whose ground-truth mask covers the most pixels (ties by name):
 * a deterministic choice of defects a camera would see, not of those a model happens to score well.
 */
export async function largestDefects(root: string): Promise<{ type: string; image: string }[]> {
  const chosen: { type: string; image: string }[] = [];
  for (const type of defectTypes) {
    const names = readdirSync(path.join(root, 'test', type)).filter((name) => name.endsWith('.jpg')).sort();
    let best = { area: -1, name: '' };
    for (const name of names) {
      const mask = path.join(root, 'ground_truth', type, name.replace(/\.jpg$/, '_mask.png'));
      const { channels, } = await sharp(mask).stats();
      const metadata = await sharp(mask).metadata();
      const area = (channels[0]!.mean / 255) * metadata.width! * metadata.height!;
      if (area > best.area) best = { area, name };
    }
    chosen.push({ type, image: path.join(root, 'test', type, best.name) });
  }
  return chosen;
}

/** Precision and recall of `flagged` frame numbers against the `truth` ones. */
export function precisionRecall(flagged: readonly number[], truth: readonly number[]) {
  const hits = flagged.filter((frame) => truth.includes(frame)).length;
  return { flagged: [...flagged], truth: [...truth], precision: flagged.length === 0 ? 0 : hits / flagged.length, recall: truth.length === 0 ? 1 : hits / truth.length };
}
