import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '@vad/core';

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

export async function isDirectory(folder: string): Promise<boolean> {
  return stat(folder).then((info) => info.isDirectory(), () => false);
}
