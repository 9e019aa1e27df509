import { existsSync } from 'node:fs';
import { copyFile, mkdir, realpath, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError } from '@vad/core';

/**
 * Tesseract's trained data comes from npm packages `@tesseract.js-data/<code>` (one per language),
 * read from their `4.0.0_best_int` folder: the LSTM-only models of tessdata_best, integerized
 * (2.9 MB gzipped for English). English is a dependency of this package; any other language is
 * used when its package is installed beside the application.
 */
export const dataFolder = '4.0.0_best_int';

/** The packages' folder for a Tesseract language code, or undefined when it is not installed. */
export function languagePackageRoot(code: string, from: readonly string[] = [process.cwd()]): string | undefined {
  const bases = [...from, path.dirname(fileURLToPath(import.meta.url))];
  for (const base of bases) {
    try {
      const manifest = createRequire(path.join(path.resolve(base), 'noop.js')).resolve(`@tesseract.js-data/${code}/package.json`);
      const root = path.dirname(manifest);
      if (existsSync(path.join(root, dataFolder, `${code}.traineddata.gz`))) return root;
    } catch {
      // not resolvable from this base: try the next
    }
  }
  return undefined;
}

/**
 * Where the worker reads the languages from: one folder holding `<code>.traineddata.gz` of each.
 * For one language that is its package's folder; for several (English plus another) a folder of
 * links under the cache folder, since Tesseract reads every language from one path.
 */
export async function languageFolder(codes: readonly string[], options: { stepName: string; property?: string; cacheDir?: string }): Promise<string> {
  const roots = codes.map((code) => {
    const root = languagePackageRoot(code);
    if (root === undefined) {
      const where = options.property === undefined ? `step "${options.stepName}"` : `step "${options.stepName}", property "${options.property}"`;
      const remedy = code === 'eng' ? 'it is a dependency of @vad/blocks-ocr: reinstall that package' : `install the npm package @tesseract.js-data/${code} beside vad (only English ships with @vad/blocks-ocr)`;
      throw new InvalidInputError({
        message: `${where}: Tesseract data for "${code}" (@tesseract.js-data/${code}/${dataFolder}) is not installed; ${remedy}`,
        stepName: options.stepName,
        ...(options.property !== undefined && { property: options.property }),
        path: `@tesseract.js-data/${code}`,
      });
    }
    return path.join(root, dataFolder);
  });
  if (roots.length === 1) return roots[0]!;
  const cache = path.resolve(options.cacheDir ?? process.env.VAD_CACHE_DIR ?? path.join(os.tmpdir(), 'vad-cache'));
  const folder = path.join(cache, 'tesseract-languages', codes.join('+'));
  await mkdir(folder, { recursive: true });
  for (const [index, code] of codes.entries()) {
    const target = path.join(roots[index]!, `${code}.traineddata.gz`);
    const link = path.join(folder, `${code}.traineddata.gz`);
    await linkOnce(target, link);
  }
  return folder;
}

/** Links `link` to `target` (a copy where links are not allowed), keeping a link another step made to the same file. */
async function linkOnce(target: string, link: string): Promise<void> {
  const same = async () => (await realpath(link).catch(() => '')) === (await realpath(target));
  if (existsSync(link) && (await same())) return;
  await rm(link, { force: true });
  try {
    await symlink(target, link);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST' && (await same())) return;
    await copyFile(target, link);
  }
}
