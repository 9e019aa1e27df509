import { existsSync } from 'node:fs';
import path from 'node:path';
import { ModelLoadError, z, type HostContext } from '@vad/core';
import type { ModelSource } from '@vad/models';

/** What `model_id` accepts on the ONNX model blocks: a path, `{path}`, `{url, sha256}` or `{package, file}`. */
export const modelSourceSchema = z.union([
  z.string().min(1),
  z.object({ path: z.string().min(1) }),
  z.object({ url: z.string().url(), sha256: z.string().regex(/^[0-9a-f]{64}$/i) }),
  z.object({ package: z.string().min(1), file: z.string().min(1) }),
]);

/** `model_id` as the blocks report it back: the path as given, or the source as JSON. */
export function modelIdText(source: ModelSource): string {
  return typeof source === 'string' ? source : JSON.stringify(source);
}

/**
 * A relative path is looked up in the host's models folder first, then the working directory; a
 * file in neither is an error that says where it was looked for and how to make the model file.
 */
export function resolveAgainstHost(source: ModelSource, host: HostContext, stepName: string, what: { noun: string; howToExport: string }): ModelSource {
  const relative = typeof source === 'string' ? source : 'path' in source ? source.path : undefined;
  if (relative === undefined || path.isAbsolute(relative) || /^[a-z]+:\/\//i.test(relative)) return source;
  const candidates = [...(host.modelsDir ? [path.join(host.modelsDir, relative)] : []), path.resolve(relative)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found) return found;
  throw new ModelLoadError({
    message: `${what.noun} "${relative}" not found (looked for ${candidates.join(', ')}): ${what.howToExport} and put it there, or set model_id to its path or {"url", "sha256"}`,
    stepName,
    property: 'model_id',
    path: relative,
  });
}

/** Opens one model per distinct source, on first use; a failed open is forgotten so the next run retries. */
export function modelCache<T extends { dispose(): Promise<void> }>(open: (source: ModelSource) => Promise<T>) {
  const models = new Map<string, Promise<T>>();
  return {
    get(source: ModelSource): Promise<T> {
      const key = JSON.stringify(source);
      let model = models.get(key);
      if (!model) {
        model = open(source);
        models.set(key, model);
        model.catch(() => models.delete(key));
      }
      return model;
    },
    async dispose(): Promise<void> {
      const all = [...models.values()];
      models.clear();
      await Promise.all(all.map((m) => m.then((model) => model.dispose(), () => undefined)));
    },
  };
}

/** A per-step inference id, as Roboflow's blocks return one with each prediction. */
export function inferenceIds(stepName: string): () => string {
  let count = 0;
  return () => `${stepName}_${process.pid.toString(36)}_${(count++).toString(36)}`;
}
