import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadSharp, VadImage, type BlockInstance, type RunContext } from '@vad/core';

/** A photo from shared/datasets/photos, downscaled to `width` (goldens stay small). */
export async function downscaledPhoto(photos: string, name: string, width: number): Promise<VadImage> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(readFileSync(path.join(photos, `${name}.jpg`)))
    .resize({ width, kernel: 'lanczos3' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return VadImage.fromPixels({ data: new Uint8Array(data), width: info.width, height: info.height });
}

/** A run context for calling a block instance directly; warnings are collected. */
export function runContext(streamId = 'test'): RunContext & { warnings: string[] } {
  const warnings: string[] = [];
  return { stepName: 'step', streamId, signal: new AbortController().signal, warn: (message) => warnings.push(message), warnings };
}

/** Creates a block instance and runs it once. */
export async function runBlock(
  block: { create(context: { stepName: string; properties: object; host: object }): unknown },
  inputs: Record<string, unknown>,
  instance?: BlockInstance,
): Promise<VadImage> {
  const created = (instance ?? (await block.create({ stepName: 'step', properties: {}, host: {} }))) as BlockInstance;
  const result = (await created.run(inputs as never, runContext())) as { image: VadImage };
  return result.image;
}

/** A synthetic RGB image: a diagonal gradient with a light and a dark half (no shared data needed). */
export function gradientImage(width: number, height: number): VadImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const light = x < width / 2;
      data[i] = light ? 230 - (y % 20) : 20 + (y % 20);
      data[i + 1] = light ? 225 : 30 + ((x * 40) / width);
      data[i + 2] = light ? 200 + ((x * 40) / width) : 40;
    }
  }
  return VadImage.fromPixels({ data, width, height });
}
