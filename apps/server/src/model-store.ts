import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { HttpProblem } from './http-errors.js';

/** Model names: the same rule as workflow ids, so a name never leaves the models directory. */
const namePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function checkModelName(name: unknown): string {
  if (typeof name !== 'string' || !namePattern.test(name)) {
    throw new HttpProblem(400, 'InvalidIdentifierError', `model name ${JSON.stringify(String(name).slice(0, 200))} is not valid: use letters, digits, "_" and "-" (at most 128), starting with a letter or digit`, 'model');
  }
  return name;
}

export interface ModelSummary {
  name: string;
  /** What kind of model the folder holds, from its metadata (e.g. `patchcore`). */
  type: string;
  created: string | null;
  bytes: number;
  metadata: Record<string, unknown>;
}

export interface ModelStore {
  /** Where the models are: the models folder, or the shared store in queue mode. */
  readonly directory: string;
  list(): Promise<ModelSummary[]>;
  get(name: string): Promise<ModelSummary>;
  remove(name: string): Promise<void>;
  exists(name: string): Promise<boolean>;
}

/**
 * Puts the complete folder `temporary` in the place of `final` (which may not exist yet): the old
 * folder is moved aside, the new one renamed in, the old one removed, so readers see one or the other.
 */
export async function replaceFolder(temporary: string, final: string): Promise<void> {
  const previous = `${final}.replaced-${randomUUID()}`;
  const hadPrevious = await fs.rename(final, previous).then(() => true, () => false);
  await fs.rename(temporary, final);
  if (hadPrevious) await fs.rm(previous, { recursive: true, force: true });
}

/** The file every model folder written by this server carries, describing it. */
export const modelInfoFile = 'vad-model.json';

async function folderBytes(folder: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) total += await folderBytes(full);
    else if (entry.isFile()) total += (await fs.stat(full)).size;
  }
  return total;
}

/**
 * Models live as folders `<modelsDir>/<name>/`. Listing reads `vad-model.json` when present;
 * folders without it (dropped in by hand) are listed with type `unknown`.
 */
export function createModelStore(directory: string): ModelStore {
  const pathOf = (name: string) => path.join(directory, checkModelName(name));
  async function summary(name: string): Promise<ModelSummary | undefined> {
    const folder = pathOf(name);
    let stat;
    try {
      stat = await fs.stat(folder);
    } catch {
      return undefined;
    }
    if (!stat.isDirectory()) return undefined;
    let metadata: Record<string, unknown> = {};
    try {
      metadata = JSON.parse(await fs.readFile(path.join(folder, modelInfoFile), 'utf8')) as Record<string, unknown>;
    } catch {
      // no metadata: a folder put there by hand
    }
    return {
      name,
      type: typeof metadata.type === 'string' ? metadata.type : 'unknown',
      created: typeof metadata.created === 'string' ? metadata.created : stat.mtime.toISOString(),
      bytes: await folderBytes(folder),
      metadata,
    };
  }
  return {
    directory,
    async list() {
      let names: string[] = [];
      try {
        names = (await fs.readdir(directory, { withFileTypes: true })).filter((d) => d.isDirectory() && namePattern.test(d.name)).map((d) => d.name).sort();
      } catch {
        return [];
      }
      return (await Promise.all(names.map(summary))).filter((s): s is ModelSummary => s !== undefined);
    },
    async get(name) {
      const found = await summary(name);
      if (!found) throw new HttpProblem(404, 'NotFoundError', `no model "${name}" in ${directory}`, 'model');
      return found;
    },
    async exists(name) {
      return (await summary(name)) !== undefined;
    },
    async remove(name) {
      const folder = pathOf(name);
      if (!(await summary(name))) throw new HttpProblem(404, 'NotFoundError', `no model "${name}" in ${directory}`, 'model');
      await fs.rm(folder, { recursive: true, force: true });
    },
  };
}
