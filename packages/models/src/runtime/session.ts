import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ModelLoadError, InvalidInputError } from '@vad/core';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { resolveModelSource, type ModelSource, type ModelSourceOptions } from './model-source.js';
import { elementTypeOf, type NumericArray } from '../onnx/onnx-model.js';

type OnnxRuntime = typeof import('onnxruntime-node');
let runtimeModule: Promise<OnnxRuntime> | undefined;
/** onnxruntime-node is imported only when a session is made (it is a native module). */
export function loadOnnxRuntime(): Promise<OnnxRuntime> {
  runtimeModule ??= import('onnxruntime-node').then(
    (module) => ((module as unknown as { default?: OnnxRuntime }).default ?? module) as OnnxRuntime,
    (cause) => {
      runtimeModule = undefined;
      throw new ModelLoadError({ message: 'Running ONNX models needs the "onnxruntime-node" package; install it beside @vad/models.', cause });
    },
  );
  return runtimeModule;
}

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

export interface SessionOptions {
  /**
   * Execution providers in order of preference, passed through to ONNX Runtime: 'cpu' (default),
   * 'cuda', 'tensorrt', 'coreml', … When the session cannot be made with the whole list (e.g. the CUDA
   * libraries are missing), the first provider is dropped and the rest tried, down to the last one.
   */
  executionProviders?: readonly string[];
  /** Threads inside one operator (ONNX Runtime's default: one per physical core). */
  intraOpThreads?: number;
  /** Threads across independent operators (only used with `executionMode: 'parallel'`). */
  interOpThreads?: number;
  /** Run independent branches of the graph at the same time ('parallel') or one op after another (default). */
  executionMode?: 'sequential' | 'parallel';
  /** ONNX Runtime session config entries, e.g. `{ 'session.intra_op.allow_spinning': '0' }` on a busy machine. */
  configEntries?: Record<string, string>;
  /** Graph optimisation level, 'all' by default. */
  graphOptimization?: GraphOptimizationLevel;
  /** Share one session between callers that ask for the same model with the same options (default true). */
  cache?: boolean;
}

export type TensorData =
  | Float32Array
  | Float64Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array;

/** A tensor as plain data: a typed array in row-major order and its dims. */
export interface TensorValue<Data extends TensorData = TensorData> {
  data: Data;
  dims: readonly number[];
  /** Only needed where the array does not say it: 'bool' for a Uint8Array, 'float16' for a Uint16Array. */
  type?: 'bool' | 'float16';
}

export interface ModelSession {
  /** The model's path, URL or given name (for messages). */
  readonly name: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** The execution providers the session was made with (a suffix of those asked for, after fallbacks). */
  readonly executionProviders: readonly string[];
  /**
   * Runs the model. Feeds are plain typed arrays with dims; outputs come back the same way, keyed by
   * name (all outputs unless `outputs` names some).
   */
  run(feeds: Record<string, TensorValue>, options?: { outputs?: readonly string[] }): Promise<Record<string, TensorValue>>;
  /** The underlying onnxruntime-node session, for what this wrapper does not cover. */
  readonly inferenceSession: InferenceSession;
  /** Releases this handle; the native session is released when the last handle sharing it is disposed. */
  dispose(): Promise<void>;
}

interface CacheEntry {
  session: Promise<{ session: InferenceSession; providers: string[] }>;
  references: number;
}
const sessionCache = new Map<string, CacheEntry>();

function ortOptions(options: SessionOptions, providers: readonly string[]): InferenceSession.SessionOptions {
  return {
    executionProviders: [...providers] as InferenceSession.SessionOptions['executionProviders'],
    graphOptimizationLevel: options.graphOptimization ?? 'all',
    ...(options.intraOpThreads !== undefined && { intraOpNumThreads: options.intraOpThreads }),
    ...(options.interOpThreads !== undefined && { interOpNumThreads: options.interOpThreads }),
    ...(options.executionMode !== undefined && { executionMode: options.executionMode }),
    ...(options.configEntries && { extra: { ...options.configEntries } }),
    logSeverityLevel: 3,
  };
}

function optionsKey(options: SessionOptions): string {
  return JSON.stringify([options.executionProviders ?? ['cpu'], options.intraOpThreads, options.interOpThreads, options.executionMode, options.graphOptimization ?? 'all', options.configEntries ?? {}]);
}

function tensorTypeOf(value: TensorValue): Tensor.Type {
  return value.type ?? (elementTypeOf(value.data as NumericArray) as Tensor.Type);
}

async function openSession(
  key: string,
  name: string,
  model: () => Promise<Uint8Array | string>,
  options: SessionOptions,
): Promise<ModelSession> {
  const ort = await loadOnnxRuntime();
  const useCache = options.cache ?? true;
  let entry = useCache ? sessionCache.get(key) : undefined;
  if (!entry) {
    const created: CacheEntry = {
      references: 0,
      session: (async () => {
        const source = await model();
        const requested = [...(options.executionProviders ?? ['cpu'])];
        let firstError: unknown;
        for (let start = 0; start < requested.length; start++) {
          const providers = requested.slice(start);
          try {
            const session = typeof source === 'string'
              ? await ort.InferenceSession.create(source, ortOptions(options, providers))
              : await ort.InferenceSession.create(source, ortOptions(options, providers));
            return { session, providers };
          } catch (cause) {
            firstError ??= cause;
          }
        }
        const message = (firstError as Error | undefined)?.message ?? 'no execution provider given';
        throw new ModelLoadError({ message: `ONNX Runtime could not load the model ${name} with execution providers [${requested.join(', ')}]: ${message}`, path: name, cause: firstError });
      })(),
    };
    entry = created;
    if (useCache) {
      sessionCache.set(key, created);
      created.session.catch(() => sessionCache.delete(key));
    }
  }
  entry.references += 1;
  const held = entry;
  let inferenceSession: InferenceSession;
  let providers: string[];
  try {
    ({ session: inferenceSession, providers } = await held.session);
  } catch (error) {
    held.references -= 1;
    throw error;
  }
  let disposed = false;
  return {
    name,
    inputNames: inferenceSession.inputNames,
    outputNames: inferenceSession.outputNames,
    executionProviders: providers,
    inferenceSession,
    async run(feeds, runOptions = {}) {
      if (disposed) throw new InvalidInputError({ message: `the session for ${name} has been disposed`, path: name });
      const ortFeeds: Record<string, Tensor> = {};
      for (const [feedName, value] of Object.entries(feeds)) {
        ortFeeds[feedName] = new ort.Tensor(tensorTypeOf(value), value.data as Float32Array, value.dims as number[]);
      }
      let results: InferenceSession.ReturnType;
      try {
        results = runOptions.outputs ? await inferenceSession.run(ortFeeds, [...runOptions.outputs]) : await inferenceSession.run(ortFeeds);
      } catch (cause) {
        const given = Object.entries(feeds).map(([feedName, value]) => `${feedName} [${value.dims.join(', ')}] ${tensorTypeOf(value)}`).join(', ');
        throw new InvalidInputError({
          message: `running ${name} failed with inputs ${given} (expected ${inferenceSession.inputNames.join(', ')}): ${(cause as Error).message}`,
          path: name,
          cause,
        });
      }
      const outputs: Record<string, TensorValue> = {};
      for (const [outputName, tensor] of Object.entries(results)) {
        outputs[outputName] = { data: tensor.data as TensorData, dims: [...tensor.dims] };
      }
      return outputs;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      held.references -= 1;
      if (held.references > 0) return;
      if (sessionCache.get(key) === held) sessionCache.delete(key);
      await inferenceSession.release();
    },
  };
}

/** A session for ONNX model bytes (e.g. from `buildModel`). `name` appears in errors. */
export function createSessionFromBytes(bytes: Uint8Array, options: SessionOptions & { name?: string } = {}): Promise<ModelSession> {
  const digest = createHash('sha256').update(bytes).digest('hex');
  const name = options.name ?? `model bytes (sha256 ${digest.slice(0, 12)})`;
  return openSession(`bytes:${digest}:${optionsKey(options)}`, name, async () => bytes, options);
}

/** A session for an ONNX model file. A missing or corrupt file is a `ModelLoadError` naming the path. */
export function createSessionFromFile(path: string, options: SessionOptions = {}): Promise<ModelSession> {
  return openSession(`file:${path}:${optionsKey(options)}`, path, async () => {
    try {
      return new Uint8Array(await readFile(path));
    } catch (cause) {
      throw new ModelLoadError({ message: `model file ${path} could not be read (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})`, path, cause });
    }
  }, options);
}

/**
 * A session for a model from any source (file path, `{ url, sha256 }` fetched once into the cache,
 * `{ package, file }` inside an installed npm package). Problems are `ModelLoadError`s naming the source.
 */
export async function createSession(source: ModelSource, options: SessionOptions & ModelSourceOptions = {}): Promise<ModelSession> {
  const file = await resolveModelSource(source, options);
  return createSessionFromFile(file, options);
}
