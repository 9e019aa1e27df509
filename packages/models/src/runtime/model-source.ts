import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ModelLoadError } from '@vad/core';

/**
 * Where a model comes from: a local file path; a URL fetched once into the cache and verified
 * against its sha256; or a file inside an installed npm package.
 */
export type ModelSource = string | { path: string } | { url: string; sha256: string } | { package: string; file: string };

export interface ModelSourceOptions {
  /** Cache folder for downloads and imported models: `VAD_CACHE_DIR`, else ~/.cache/vad. */
  cacheDir?: string;
  /** Where package sources are resolved from (a folder); default: the working directory, then @vad/models itself. */
  resolveFrom?: string;
  signal?: AbortSignal;
}

/** The cache folder: the `cacheDir` given, else `VAD_CACHE_DIR`, else ~/.cache/vad. */
export function defaultCacheDir(cacheDir?: string): string {
  return path.resolve(cacheDir ?? process.env.VAD_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'vad'));
}

/** A readable name for a source, used in errors. */
export function describeModelSource(source: ModelSource): string {
  if (typeof source === 'string') return source;
  if ('path' in source) return source.path;
  if ('url' in source) return source.url;
  return `${source.package}/${source.file}`;
}

/** The local path of a model source, downloading and verifying a URL source on first use. */
export async function resolveModelSource(source: ModelSource, options: ModelSourceOptions = {}): Promise<string> {
  if (typeof source === 'string' || 'path' in source) {
    const file = path.resolve(typeof source === 'string' ? source : source.path);
    await requireFile(file, file);
    return file;
  }
  if ('url' in source) return fetchIntoCache(source.url, source.sha256, options);
  const root = resolvePackageRoot(source.package, options.resolveFrom);
  const file = path.join(root, source.file);
  if (!file.startsWith(root + path.sep)) {
    throw new ModelLoadError({ message: `model file "${source.file}" points outside the package ${source.package}`, path: file });
  }
  await requireFile(file, `${source.package}/${source.file}`);
  return file;
}

async function requireFile(file: string, name: string): Promise<void> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (cause) {
    throw new ModelLoadError({ message: `model file ${name} does not exist or is not a file (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, path: file, cause });
  }
}

/** The folder of an installed npm package (works for packages whose `exports` hide package.json). */
export function resolvePackageRoot(packageName: string, resolveFrom?: string): string {
  const bases = [resolveFrom ?? process.cwd(), path.dirname(new URL(import.meta.url).pathname)];
  for (const base of bases) {
    const require = createRequire(path.join(path.resolve(base), 'noop.js'));
    for (const request of [`${packageName}/package.json`, packageName]) {
      let resolved: string;
      try {
        resolved = require.resolve(request);
      } catch {
        continue;
      }
      for (let folder = path.dirname(resolved); folder !== path.dirname(folder); folder = path.dirname(folder)) {
        const manifest = path.join(folder, 'package.json');
        if (!existsSync(manifest)) continue;
        try {
          if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === packageName) return folder;
        } catch {
          // an unreadable package.json on the way up: keep looking
        }
      }
    }
  }
  throw new ModelLoadError({ message: `npm package "${packageName}" is not installed (looked from ${bases.join(' and ')})`, path: packageName });
}

async function fetchIntoCache(url: string, sha256: string, options: ModelSourceOptions): Promise<string> {
  const expected = sha256.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new ModelLoadError({ message: `sha256 for ${url} must be 64 hex digits, got "${sha256}"`, path: url });
  }
  const folder = path.join(defaultCacheDir(options.cacheDir), 'models', expected);
  const name = path.basename(new URL(url).pathname) || 'model.onnx';
  const target = path.join(folder, name.replace(/[^\w.-]/g, '_'));
  if (existsSync(target)) return target;
  await mkdir(folder, { recursive: true });
  const temporary = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.part`;
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: options.signal ?? null });
    } catch (cause) {
      const reason = (cause as { cause?: { code?: string } }).cause?.code ?? (cause as Error).message;
      throw new ModelLoadError({ message: `model URL ${url} could not be fetched (${reason})`, path: url, cause });
    }
    if (!response.ok || !response.body) {
      throw new ModelLoadError({ message: `model URL ${url} answered HTTP ${response.status} ${response.statusText}`, path: url });
    }
    const hash = createHash('sha256');
    const output = createWriteStream(temporary, { flags: 'wx' });
    const finished = new Promise<void>((resolve, reject) => {
      output.on('finish', resolve);
      output.on('error', reject);
    });
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        if (!output.write(chunk)) await new Promise<void>((resolve) => output.once('drain', () => resolve()));
      }
    } catch (cause) {
      output.destroy();
      throw new ModelLoadError({ message: `download of ${url} broke off (${(cause as Error).message})`, path: url, cause });
    }
    output.end();
    await finished;
    const actual = hash.digest('hex');
    if (actual !== expected) {
      throw new ModelLoadError({ message: `model URL ${url} has sha256 ${actual}, expected ${expected}; nothing was cached`, path: url });
    }
    await rename(temporary, target);
    return target;
  } catch (error) {
    await rm(temporary, { force: true });
    await rmdir(folder).catch(() => undefined); // only succeeds when nothing else is in it
    throw error;
  }
}
