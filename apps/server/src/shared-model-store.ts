import { HttpProblem } from './http-errors.js';
import type { ModelStore, ModelSummary } from './model-store.js';
import type { ModelManifest, SharedStore } from './shared-store.js';

function summaryOf(manifest: ModelManifest): ModelSummary {
  const { metadata } = manifest;
  return {
    name: manifest.name,
    type: typeof metadata.type === 'string' ? metadata.type : 'unknown',
    created: manifest.created,
    bytes: Object.values(manifest.files).reduce((sum, file) => sum + file.bytes, 0),
    metadata,
  };
}

/** The models every server and worker sees in queue mode: the shared store's manifests. */
export function createSharedModelStore(store: SharedStore, onChange: () => Promise<void>): ModelStore {
  const notFound = (name: string) => new HttpProblem(404, 'NotFoundError', `no model "${name}" in ${store.location}`, 'model');
  return {
    directory: store.location,
    async list() {
      return (await store.listManifests()).map(summaryOf);
    },
    async get(name) {
      const manifest = await store.readManifest(name);
      if (!manifest) throw notFound(name);
      return summaryOf(manifest);
    },
    async exists(name) {
      return (await store.readManifest(name)) !== undefined;
    },
    async remove(name) {
      if (!(await store.removeManifest(name))) throw notFound(name);
      await onChange();
    },
  };
}
