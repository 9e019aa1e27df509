import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { checkModelName } from './model-store.js';

/** A file in the store, named by its content. */
export interface BlobRef {
  sha256: string;
  bytes: number;
}

/** What a fitted model is: its description and its files, each by content hash. */
export interface ModelManifest {
  name: string;
  created: string;
  /** `vad-model.json`'s content (type, backbone, threshold …). */
  metadata: Record<string, unknown>;
  files: Record<string, BlobRef>;
}

/**
 * Where models live when many servers and workers share them (queue mode). Files are stored by
 * sha256 and never change; a model is a small manifest naming them, replaced in one rename, so a
 * reader sees the old model or the new one, never half of one. A folder that every process
 * mounts (NFS, a volume) is the implementation here; an S3-compatible bucket would implement the
 * same methods.
 */
export interface SharedStore {
  readonly location: string;
  /** Stores a file by its content; storing the same content twice is free. */
  putFile(file: string): Promise<BlobRef>;
  /** Copies a stored file to `destination`, failing if its content does not match its hash. */
  copyTo(ref: BlobRef, destination: string): Promise<void>;
  writeManifest(manifest: ModelManifest): Promise<void>;
  readManifest(name: string): Promise<ModelManifest | undefined>;
  listManifests(): Promise<ModelManifest[]>;
  /** Removes a model's manifest (its files stay until nothing names them); false when there was none. */
  removeManifest(name: string): Promise<boolean>;
  /** A fit's uploaded images, kept until the fit ends (a retried fit reads them again). */
  putUploads(id: string, images: readonly Uint8Array[]): Promise<BlobRef[]>;
  readUpload(id: string, index: number, ref: BlobRef): Promise<Uint8Array>;
  removeUploads(id: string): Promise<void>;
}

export class ChecksumError extends Error {
  constructor(what: string, expected: string, actual: string) {
    super(`${what} is damaged: its sha256 is ${actual}, the store says ${expected}`);
    this.name = 'ChecksumError';
  }
}

const hashPattern = /^[0-9a-f]{64}$/;
const uploadIdPattern = /^[A-Za-z0-9-]{1,64}$/;

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

export function createFolderStore(root: string): SharedStore {
  const location = path.resolve(root);
  const blobPath = (hash: string) => {
    if (!hashPattern.test(hash)) throw new Error(`not a sha256: ${JSON.stringify(hash.slice(0, 80))}`);
    return path.join(location, 'blobs', 'sha256', hash.slice(0, 2), hash);
  };
  const manifestPath = (name: string) => path.join(location, 'models', `${checkModelName(name)}.json`);
  const uploadsPath = (id: string) => {
    if (!uploadIdPattern.test(id)) throw new Error(`not an upload id: ${JSON.stringify(id.slice(0, 80))}`);
    return path.join(location, 'uploads', id);
  };
  // Written beside their final place and renamed: readers on other machines never see a partial file.
  const atomicWrite = async (file: string, bytes: Uint8Array | string) => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${randomUUID()}.partial`;
    try {
      await fs.writeFile(temporary, bytes);
      await fs.rename(temporary, file);
    } catch (error) {
      await fs.rm(temporary, { force: true });
      throw error;
    }
  };
  const parseManifest = (text: string, file: string): ModelManifest => {
    const parsed = JSON.parse(text) as ModelManifest;
    if (typeof parsed?.name !== 'string' || !parsed.files || typeof parsed.files !== 'object') throw new Error(`${file} is not a model manifest`);
    return parsed;
  };

  return {
    location,
    async putFile(file) {
      const hash = await fileSha256(file);
      const { size } = await fs.stat(file);
      const target = blobPath(hash);
      const present = await fs.stat(target).then((s) => s.size === size, () => false);
      if (!present) {
        await fs.mkdir(path.dirname(target), { recursive: true });
        const temporary = `${target}.${randomUUID()}.partial`;
        await fs.copyFile(file, temporary);
        await fs.rename(temporary, target);
      }
      return { sha256: hash, bytes: size };
    },
    async copyTo(ref, destination) {
      const temporary = `${destination}.${randomUUID()}.partial`;
      try {
        await fs.copyFile(blobPath(ref.sha256), temporary);
        const actual = await fileSha256(temporary);
        if (actual !== ref.sha256) throw new ChecksumError(`stored file ${ref.sha256}`, ref.sha256, actual);
        await fs.rename(temporary, destination);
      } catch (error) {
        await fs.rm(temporary, { force: true });
        throw error;
      }
    },
    async writeManifest(manifest) {
      await atomicWrite(manifestPath(manifest.name), JSON.stringify(manifest, null, 2));
    },
    async readManifest(name) {
      const file = manifestPath(name);
      const text = await fs.readFile(file, 'utf8').catch(() => undefined);
      return text === undefined ? undefined : parseManifest(text, file);
    },
    async listManifests() {
      const folder = path.join(location, 'models');
      const files = await fs.readdir(folder).catch(() => [] as string[]);
      const manifests = await Promise.all(
        files.filter((file) => file.endsWith('.json')).sort().map(async (file) => {
          try {
            return parseManifest(await fs.readFile(path.join(folder, file), 'utf8'), file);
          } catch {
            return undefined; // removed while listing, or not ours
          }
        }),
      );
      return manifests.filter((m): m is ModelManifest => m !== undefined);
    },
    async removeManifest(name) {
      const file = manifestPath(name);
      return fs.rm(file).then(() => true, () => false);
    },
    async putUploads(id, images) {
      const folder = uploadsPath(id);
      const refs: BlobRef[] = [];
      for (const [index, bytes] of images.entries()) {
        await atomicWrite(path.join(folder, String(index)), bytes);
        refs.push({ sha256: sha256(bytes), bytes: bytes.length });
      }
      return refs;
    },
    async readUpload(id, index, ref) {
      const bytes = await fs.readFile(path.join(uploadsPath(id), String(index)));
      const actual = sha256(bytes);
      if (actual !== ref.sha256) throw new ChecksumError(`upload ${index} of fit ${id}`, ref.sha256, actual);
      return bytes;
    },
    async removeUploads(id) {
      await fs.rm(uploadsPath(id), { recursive: true, force: true });
    },
  };
}
