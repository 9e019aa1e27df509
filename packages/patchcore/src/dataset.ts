import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError, loadSharp } from '@vad/core';
import { isDirectory, listImages } from './image-files.js';

// Evaluation datasets: labelled folders, the MVTec AD layout and its ground-truth masks.

/** A labelled image for calibration: `anomalous` is false for images in a `good` folder. */
export interface LabelledImage {
  readonly path: string;
  readonly anomalous: boolean;
}

/**
 * Labelled images from the sub-folders of `root` (of `root/test` for an MVTec category): `good`
 * holds normal images, every other sub-folder anomalous ones. Without a `good` folder and at least
 * one other, the error names the folder and what it found.
 */
export async function loadLabelledImages(root: string): Promise<LabelledImage[]> {
  const base = (await isDirectory(path.join(root, 'test'))) ? path.join(root, 'test') : root;
  let folders: string[];
  try {
    folders = (await readdir(base, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  } catch (cause) {
    throw new InvalidInputError({ message: `labelled image folder ${base} cannot be read (${(cause as NodeJS.ErrnoException).code ?? cause})`, path: base, cause });
  }
  if (!folders.includes('good') || folders.length < 2) {
    throw new InvalidInputError({
      message: `labelled image folder ${base} needs a good/ sub-folder of normal images and at least one sub-folder of anomalous ones (found: ${folders.join(', ') || 'no sub-folders'})`,
      path: base,
    });
  }
  const images: LabelledImage[] = [];
  for (const folder of folders) for (const image of await listImages(path.join(base, folder))) images.push({ path: image, anomalous: folder !== 'good' });
  return images;
}

/** One test image of an MVTec-layout dataset. */
export interface TestSample {
  readonly path: string;
  /** `good` or the defect type (the folder under `test/`). */
  readonly defect: string;
  /** Ground-truth mask, absent for good images. */
  readonly maskPath: string | undefined;
}

export interface MvtecDataset {
  readonly root: string;
  readonly train: string[];
  readonly test: TestSample[];
}

/**
 * A dataset in the MVTec AD layout: `train/good/*`, `test/<defect>/*`,
 * `ground_truth/<defect>/<name>_mask.png`. A defect image without its mask is an error naming it.
 */
export async function loadMvtecDataset(root: string): Promise<MvtecDataset> {
  const testRoot = path.join(root, 'test');
  if (!(await isDirectory(testRoot))) {
    throw new InvalidInputError({ message: `${root} is not in the MVTec layout: it has no test/ folder (expected train/good, test/<defect>, ground_truth/<defect>)`, path: root });
  }
  const train = (await isDirectory(path.join(root, 'train', 'good'))) ? await listImages(path.join(root, 'train', 'good')) : [];
  const test: TestSample[] = [];
  const defects = (await readdir(testRoot, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  for (const defect of defects) {
    for (const image of await listImages(path.join(testRoot, defect))) {
      if (defect === 'good') {
        test.push({ path: image, defect, maskPath: undefined });
        continue;
      }
      const maskPath = path.join(root, 'ground_truth', defect, `${path.parse(image).name}_mask.png`);
      if (!(await stat(maskPath).then((info) => info.isFile(), () => false))) {
        throw new InvalidInputError({ message: `defect image ${image} has no ground-truth mask at ${maskPath}`, path: image });
      }
      test.push({ path: image, defect, maskPath });
    }
  }
  if (test.length === 0) throw new InvalidInputError({ message: `${testRoot} holds no test images`, path: testRoot });
  return { root, train, test };
}

/** A ground-truth mask as 0/1 bytes at `width × height` (nearest-neighbour resize; grey ≥ 128 is anomalous). */
export async function readMask(file: string, width: number, height: number): Promise<Uint8Array> {
  const sharp = await loadSharp();
  try {
    const { data, info } = await sharp(file, { failOn: 'error' })
      .removeAlpha()
      .greyscale()
      .resize(width, height, { fit: 'fill', kernel: 'nearest' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const mask = new Uint8Array(width * height);
    const channels = info.channels;
    for (let index = 0; index < mask.length; index++) mask[index] = data[index * channels]! >= 128 ? 1 : 0;
    return mask;
  } catch (cause) {
    throw new InvalidInputError({ message: `mask ${file} is not a readable image (${(cause as Error).message})`, path: file, cause });
  }
}
