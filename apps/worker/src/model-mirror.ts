import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { modelInfoFile, modelsChangedChannel, replaceFolder, type ModelManifest, type SharedStore } from '@vad/server';

/** Marks a model folder as a copy of the store's, and of which content. */
const markerFile = '.vad-store-content';

function contentOf(manifest: ModelManifest): string {
  return Object.entries(manifest.files).sort(([a], [b]) => a.localeCompare(b)).map(([file, ref]) => `${file}=${ref.sha256}`).join('\n');
}

export interface ModelMirror {
  /** Copies what changed in the store since the last look; free when nothing did. */
  syncIfChanged(): Promise<void>;
  close(): void;
}

/** A look at the store even when no change was announced (a message lost while Redis was away). */
const lookAgainMs = 10_000;

/**
 * Keeps `<modelsDir>/<name>/` in step with the shared store, where the blocks look for models.
 * Each file is copied once per content hash and its checksum verified before it is used; a folder
 * is swapped in whole. Folders put there by hand (no marker) are left alone. A change is
 * announced on a Redis channel before the fit that made it reports done, so a run sent after a
 * fit finished sees the new model.
 */
export function createModelMirror(options: { store: SharedStore; modelsDir: string; redis: Redis; log: Logger; onChanged: () => Promise<void> }): ModelMirror {
  // Bumped by every announcement; a sync that started before the latest one is not enough.
  let announced = 1;
  let synced = 0;
  let running: Promise<void> | undefined;
  const subscriber = options.redis.duplicate();
  subscriber.on('error', () => {});
  subscriber.on('message', () => announced++);
  // After a reconnect, changes made meanwhile were not heard: look again.
  subscriber.on('ready', () => announced++);
  void subscriber.subscribe(modelsChangedChannel).catch(() => {});
  const timer = setInterval(() => announced++, lookAgainMs);
  timer.unref();

  async function marker(folder: string): Promise<string | undefined> {
    return fs.readFile(path.join(folder, markerFile), 'utf8').catch(() => undefined);
  }

  async function install(manifest: ModelManifest, folder: string) {
    const temporary = path.join(options.modelsDir, `.${manifest.name}.mirror-${randomUUID()}`);
    await fs.mkdir(temporary, { recursive: true });
    try {
      for (const [file, ref] of Object.entries(manifest.files)) await options.store.copyTo(ref, path.join(temporary, file));
      await fs.writeFile(path.join(temporary, modelInfoFile), JSON.stringify(manifest.metadata, null, 2));
      await fs.writeFile(path.join(temporary, markerFile), contentOf(manifest));
      await replaceFolder(temporary, folder);
    } catch (error) {
      await fs.rm(temporary, { recursive: true, force: true });
      throw error;
    }
  }

  async function sync() {
    await fs.mkdir(options.modelsDir, { recursive: true });
    const manifests = await options.store.listManifests();
    let changed = false;
    for (const manifest of manifests) {
      const folder = path.join(options.modelsDir, manifest.name);
      const have = await marker(folder);
      if (have === contentOf(manifest)) continue;
      if (have === undefined && (await fs.stat(folder).then(() => true, () => false))) {
        options.log.warn({ model: manifest.name, folder }, 'a model folder of this name was put here by hand; the shared store\'s model of that name is not copied over it');
        continue;
      }
      await install(manifest, folder);
      options.log.info({ model: manifest.name }, 'model copied from the shared store');
      changed = true;
    }
    const names = new Set(manifests.map((m) => m.name));
    for (const entry of await fs.readdir(options.modelsDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || names.has(entry.name)) continue;
      const folder = path.join(options.modelsDir, entry.name);
      if ((await marker(folder)) === undefined) continue;
      await fs.rm(folder, { recursive: true, force: true });
      options.log.info({ model: entry.name }, 'model removed (no longer in the shared store)');
      changed = true;
    }
    // Compiled workflows hold loaded models; the next run compiles afresh.
    if (changed) await options.onChanged();
  }

  return {
    async syncIfChanged() {
      while (synced < announced) {
        const target = announced;
        running ??= sync()
          .then(() => {
            synced = Math.max(synced, target);
          })
          .finally(() => {
            running = undefined;
          });
        await running;
      }
    },
    close() {
      clearInterval(timer);
      subscriber.disconnect();
    },
  };
}
