import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError, ModelLoadError, z, type HostContext } from '@vad/core';
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

/** The file a host's `models.json` maps a model id to: Roboflow ids (`my-project/3`) name local ONNX exports. */
const mapFileName = 'models.json';
function mappedModel(modelsDir: string, id: string, stepName: string): string | undefined {
  const file = path.join(modelsDir, mapFileName);
  if (!existsSync(file)) return undefined;
  let map: unknown;
  try {
    map = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ModelLoadError({ message: `${file} is not valid JSON (it maps model ids to ONNX files): ${(cause as Error).message}`, stepName, property: 'model_id', path: file });
  }
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new ModelLoadError({ message: `${file} must be an object of "model id": "file.onnx"`, stepName, property: 'model_id', path: file });
  const target = (map as Record<string, unknown>)[id];
  if (target === undefined) return undefined;
  if (typeof target !== 'string') throw new ModelLoadError({ message: `${file}: "${id}" must map to a file name`, stepName, property: 'model_id', path: file });
  return path.resolve(modelsDir, target);
}

/**
 * A relative path is looked up in the host's models folder first (through its `models.json` map of
 * model ids, then as a file, with or without `.onnx`), then the working directory; a file in none
 * is an error that says where it was looked for and how to make the model file.
 */
export function resolveAgainstHost(source: ModelSource, host: HostContext, stepName: string, what: { noun: string; howToExport: string }): ModelSource {
  const relative = typeof source === 'string' ? source : 'path' in source ? source.path : undefined;
  if (relative === undefined || path.isAbsolute(relative) || /^[a-z]+:\/\//i.test(relative)) return source;
  const mapped = host.modelsDir ? mappedModel(host.modelsDir, relative, stepName) : undefined;
  if (mapped) {
    if (existsSync(mapped)) return mapped;
    throw new ModelLoadError({ message: `${what.noun} "${relative}" maps to ${mapped} in ${mapFileName}, which does not exist`, stepName, property: 'model_id', path: mapped });
  }
  const withExtension = (file: string) => (file.endsWith('.onnx') ? [file] : [file, `${file}.onnx`]);
  const candidates = [...(host.modelsDir ? withExtension(path.join(host.modelsDir, relative)) : []), ...withExtension(path.resolve(relative))];
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

/** What every ONNX model block opens its model with. */
export interface ModelOpenOptions {
  model: ModelSource;
  classNames: string[] | undefined;
  inputWidth: number | undefined;
  inputHeight: number | undefined;
  executionProviders: HostContext['executionProviders'];
  cacheDir: string | undefined;
  stepName: string;
}

/**
 * The part the ONNX model blocks share: one model per `model_id` (a literal one opened at once, so
 * a missing or wrong model fails when the workflow is prepared), and Roboflow's outputs
 * `predictions`, `inference_id`, `model_id`.
 */
export async function modelStep<T extends { dispose(): Promise<void> }>(
  context: { stepName: string; host: HostContext; properties: { model_id?: ModelSource; class_names?: string[]; input_width?: number; input_height?: number } },
  file: { noun: string; howToExport: string },
  open: (options: ModelOpenOptions) => Promise<T>,
) {
  const { stepName, host, properties } = context;
  const models = modelCache((source) =>
    open({
      model: resolveAgainstHost(source, host, stepName, file),
      classNames: properties.class_names,
      inputWidth: properties.input_width,
      inputHeight: properties.input_height,
      executionProviders: host.executionProviders,
      cacheDir: host.cacheDir,
      stepName,
    }),
  );
  if (properties.model_id !== undefined) await models.get(properties.model_id);
  const nextInferenceId = inferenceIds(stepName);
  return {
    modelFor(source: ModelSource | undefined): Promise<T> {
      if (source === undefined) throw new InvalidInputError({ message: 'model_id is required', stepName, property: 'model_id' });
      return models.get(source);
    },
    outputs: (predictions: unknown, source: ModelSource) => ({ predictions, inference_id: nextInferenceId(), model_id: modelIdText(source) }),
    dispose: () => models.dispose(),
  };
}
