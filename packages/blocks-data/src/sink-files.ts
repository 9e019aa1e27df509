import { randomBytes } from 'node:crypto';
import { link, mkdir, open, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/**
 * File names as Roboflow's sink writes them, `<prefix>_<YYYY_MM_DD_HH_MM_SS_ffffff>.<ext>` in
 * local time. JavaScript's clock has milliseconds, so the last three digits count names made in
 * the same millisecond: names stay unique within a process and sort in the order they were made.
 */
export function createFileNamer(clock: () => number): (directory: string, prefix: string, extension: string, bump?: number) => string {
  let lastMs = -1;
  let sequence = 0;
  return (directory, prefix, extension, bump = 0) => {
    const ms = clock();
    sequence = ms === lastMs ? sequence + 1 : 0;
    lastMs = ms;
    const date = new Date(ms);
    const two = (n: number) => String(n).padStart(2, '0');
    const micro = String(date.getMilliseconds() * 1000 + Math.min(sequence + bump, 999)).padStart(6, '0');
    const stamp = `${date.getFullYear()}_${two(date.getMonth() + 1)}_${two(date.getDate())}_${two(date.getHours())}_${two(date.getMinutes())}_${two(date.getSeconds())}_${micro}`;
    return path.resolve(directory, `${prefix}_${stamp}.${extension}`);
  };
}

/**
 * Writes a whole file or nothing: the content goes to a temporary file beside the target, which
 * is then linked to the target name (failing, not overwriting, when that name exists) and
 * removed. Returns false when the target name was taken, so the caller can pick another.
 */
export async function writeNewFileAtomically(target: string, content: string): Promise<boolean> {
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, content, { flag: 'wx' });
    try {
      await link(temporary, target);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** A log file opened for appending; each `append` is one write of whole lines. */
export interface AppendLog {
  readonly path: string;
  entries: number;
  append(lines: string): Promise<void>;
  close(): Promise<void>;
}

/** Creates a new log file (never an existing one: `wx`). */
export async function createAppendLog(target: string): Promise<AppendLog> {
  await mkdir(path.dirname(target), { recursive: true });
  const handle: FileHandle = await open(target, 'wx');
  return {
    path: target,
    entries: 0,
    append: async (lines) => {
      await handle.appendFile(lines);
    },
    close: () => handle.close(),
  };
}
