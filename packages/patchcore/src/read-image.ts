import { readFile } from 'node:fs/promises';
import { InvalidInputError, loadSharp } from '@vad/core';

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
