import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError, loadSharp } from '@vad/core';

/** File name endings vad reads as images. */
export const imageExtensions = ['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp'] as const;

export function isImageFile(file: string): boolean {
  return (imageExtensions as readonly string[]).includes(path.extname(file).toLowerCase());
}

/** The image files directly inside `folder`, sorted by name. A folder without images is an error naming it. */
export async function listImages(folder: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch (cause) {
    throw new InvalidInputError({ message: `image folder ${folder} cannot be read (${(cause as NodeJS.ErrnoException).code ?? cause})`, path: folder, cause });
  }
  const images = entries.filter(isImageFile).sort().map((entry) => path.join(folder, entry));
  if (images.length === 0) {
    throw new InvalidInputError({ message: `folder ${folder} holds no images (looked for ${imageExtensions.join(', ')})`, path: folder });
  }
  return images;
}

/**
 * Images to fit on: a folder (its images; an MVTec category folder means its `train/good`), one
 * image file, or a list of image files.
 */
export async function resolveTrainingImages(source: string | readonly string[]): Promise<string[]> {
  if (typeof source !== 'string') {
    if (source.length === 0) throw new InvalidInputError({ message: 'the list of training images is empty' });
    for (const file of source) {
      if (!isImageFile(file)) throw new InvalidInputError({ message: `${file} is not an image file (expected one of ${imageExtensions.join(', ')})`, path: file });
    }
    return [...source];
  }
  const info = await stat(source).catch((cause) => {
    throw new InvalidInputError({ message: `training data ${source} does not exist`, path: source, cause });
  });
  if (info.isFile()) return resolveTrainingImages([source]);
  const trainGood = path.join(source, 'train', 'good');
  if (await isDirectory(trainGood)) return listImages(trainGood);
  return listImages(source);
}

async function isDirectory(folder: string): Promise<boolean> {
  return stat(folder).then((info) => info.isDirectory(), () => false);
}

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

/** Decoded RGB pixels of an image file and its original size. */
export interface LoadedImage {
  readonly path: string;
  /** Interleaved RGB, `width × height × 3` bytes. */
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly originalWidth: number;
  readonly originalHeight: number;
}

/**
 * Reads an image file as RGB (grayscale is expanded, alpha dropped, EXIF orientation applied),
 * optionally resized to `size × size`. Images of any size are accepted: each is resized to the
 * model's input, and its anomaly map is brought back to its own size. Unreadable files are an
 * `InvalidInputError` naming the file.
 */
export async function readImageRgb(
  file: string | { path: string; bytes: Uint8Array },
  size?: number | ((width: number, height: number) => { width: number; height: number }),
): Promise<LoadedImage> {
  const filePath = typeof file === 'string' ? file : file.path;
  let bytes: Uint8Array;
  try {
    bytes = typeof file === 'string' ? await readFile(file) : file.bytes;
  } catch (cause) {
    throw new InvalidInputError({ message: `image ${filePath} cannot be read (${(cause as NodeJS.ErrnoException).code ?? cause})`, path: filePath, cause });
  }
  const sharp = await loadSharp();
  try {
    const pipeline = sharp(bytes, { failOn: 'error' }).autoOrient();
    const { width: originalWidth, height: originalHeight } = orientedSize(await pipeline.metadata());
    let resized = pipeline.removeAlpha().toColourspace('srgb');
    if (size !== undefined) {
      const target = typeof size === 'number' ? { width: size, height: size } : size(originalWidth, originalHeight);
      if (target.width !== originalWidth || target.height !== originalHeight) resized = resized.resize(target.width, target.height, { fit: 'fill', kernel: 'cubic' });
    }
    const { data, info } = await resized.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`);
    return { path: filePath, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, originalWidth, originalHeight };
  } catch (cause) {
    throw new InvalidInputError({ message: `image ${filePath} is not a readable image (${(cause as Error).message})`, path: filePath, cause });
  }
}

/** An image file's displayed size (EXIF orientation applied) from its header, without decoding it. */
export async function readImageSize(file: string): Promise<{ width: number; height: number }> {
  const sharp = await loadSharp();
  try {
    return orientedSize(await sharp(file, { failOn: 'error' }).metadata());
  } catch (cause) {
    throw new InvalidInputError({ message: `image ${file} is not a readable image (${(cause as Error).message})`, path: file, cause });
  }
}

/** The size an image displays at (EXIF orientation applied), from sharp's metadata of its header. */
function orientedSize(metadata: { width?: number; height?: number; autoOrient?: { width: number; height: number } }): { width: number; height: number } {
  const width = metadata.autoOrient?.width ?? metadata.width;
  const height = metadata.autoOrient?.height ?? metadata.height;
  if (!width || !height) throw new Error('no size in its header');
  return { width, height };
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

/** RGB pixels of any size → a `LoadedImage` at `width × height` (sharp, cubic), remembering the original size. */
export async function resizeRgb(image: { data: Uint8Array; width: number; height: number }, width: number, height = width): Promise<LoadedImage> {
  const original = { originalWidth: image.width, originalHeight: image.height };
  if (image.width === width && image.height === height) return { path: 'pixels', data: image.data, width, height, ...original };
  const sharp = await loadSharp();
  const { data } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { path: 'pixels', data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height, ...original };
}
