import { z } from 'zod';
import type { Kind } from './kinds.js';
import type { VadImage } from './image.js';
import { hasImageMarker } from './image-marker.js';

/**
 * The block contract, version 1. A block is a plain structural object (never a class a plugin
 * must extend), declared with `defineBlock` so TypeScript infers its input and output types
 * from the manifest. The manifest is the one source for compile-time validation, `describe`
 * (JSON Schema) and the types of `run()`.
 */

/** How a property may be given in a workflow definition. */
export type FieldAccepts = 'literal' | 'selector' | 'literal_or_selector' | 'dictionary' | 'list' | 'step_list';

export interface FieldSpec<T = unknown> {
  readonly schema: z.ZodType<T>;
  /** Kinds a selector for this property may carry. */
  readonly kinds: readonly Kind[];
  readonly accepts: FieldAccepts;
  readonly optional: boolean;
  readonly description: string | undefined;
  /** For `dimensionality: 'collapse'` blocks: this property is read one level deeper, as a whole list. */
  readonly collapse: boolean;
  /**
   * Other names a definition may give this property under (Roboflow's `AliasChoices`, e.g.
   * `images` for `image`); giving it under two names is an error.
   */
  readonly aliases: readonly string[];
  /** For a `list` property: the fewest entries it may have. */
  readonly minItems?: number;
}

interface FieldOptions {
  description?: string;
  optional?: boolean;
  aliases?: readonly string[];
}

function spec<T>(schema: z.ZodType<T>, kinds: readonly Kind[], accepts: FieldAccepts, options: FieldOptions & { collapse?: boolean; minItems?: number }): FieldSpec<T> {
  return {
    ...(options.minItems !== undefined && { minItems: options.minItems }),
    schema,
    kinds,
    accepts,
    optional: options.optional ?? false,
    description: options.description,
    collapse: options.collapse ?? false,
    aliases: options.aliases ?? [],
  };
}

const imageSchema = z.custom<VadImage>((value) => hasImageMarker(value), { message: 'expected an image' });

/** Builders for manifest properties. */
export const field = {
  /** An image from `$inputs.<image>` or a step's image output. */
  image: (options: FieldOptions & { collapse?: boolean } = {}) => spec(imageSchema, ['image'], 'selector', options),
  /** A value that must come from a selector of one of `kinds`. */
  selector: <T = unknown>(kinds: readonly Kind[], options: FieldOptions & { collapse?: boolean } = {}) =>
    spec(z.any() as z.ZodType<T>, kinds, 'selector', options),
  /** A value given literally or by a selector (`$inputs.x`, `$steps.s.y`); literals are checked by `schema`. */
  parameter: <T>(schema: z.ZodType<T>, kinds: readonly Kind[], options: FieldOptions = {}) =>
    spec(schema, kinds, 'literal_or_selector', { ...options, optional: options.optional ?? schema.safeParse(undefined).success }),
  /** A value that must be written literally in the definition (it configures the block at creation). */
  literal: <T>(schema: z.ZodType<T>, options: FieldOptions = {}) =>
    spec(schema, [], 'literal', { ...options, optional: options.optional ?? schema.safeParse(undefined).success }),
  /**
   * A dictionary whose values are literals or selectors, each resolved on its own
   * (`{"count": "$steps.count.output", "unit": "mm"}`), or one selector of a whole dictionary.
   * `schema` checks each value.
   */
  dictionary: <T>(schema: z.ZodType<T>, kinds: readonly Kind[] = ['*'], options: FieldOptions = {}) =>
    spec(schema as z.ZodType<unknown>, kinds, 'dictionary', { ...options, optional: options.optional ?? true }) as FieldSpec<Record<string, T>>,
  /**
   * A list whose entries are literals or selectors, each resolved on its own and handed to `run()`
   * in order (`["$steps.a.predictions", "$steps.b.predictions"]`). `schema` checks each literal entry.
   */
  list: <T>(schema: z.ZodType<T>, kinds: readonly Kind[] = ['*'], options: FieldOptions & { minItems?: number } = {}) =>
    spec(schema as z.ZodType<unknown>, kinds, 'list', options) as FieldSpec<T[]>,
  /** Step selectors (`$steps.name`) whose execution a flow-control block governs. */
  stepList: (options: FieldOptions = {}) => spec(z.array(z.string()), [], 'step_list', options),
};

export type Manifest = Readonly<Record<string, FieldSpec>>;
export interface OutputSpec {
  readonly kinds: readonly Kind[];
  readonly description?: string;
}
export type OutputsSpec = Readonly<Record<string, OutputSpec>>;

type FieldValue<F> = F extends FieldSpec<infer T> ? T : never;
/** The inputs `run()` receives, inferred from a manifest. */
export type InferInputs<M extends Manifest> = { [K in keyof M]: FieldValue<M[K]> };
/** The outputs `run()` returns. */
export type InferOutputs<O extends OutputsSpec> = { [K in keyof O]: unknown };

/** What the host (CLI, server, runner) offers blocks when they are created. */
export interface HostContext {
  /** Directory where named models (PatchCore banks, detectors) live. */
  readonly modelsDir?: string;
  /** Directory for caches (imported backbones, downloaded models). */
  readonly cacheDir?: string;
  /** Execution providers the host prefers for ONNX Runtime (e.g. ['cuda', 'cpu']). */
  readonly executionProviders?: readonly string[];
  /** The most slices an image slicer may cut from one image (a server's limit); unlimited when absent. */
  readonly maxSlicesPerImage?: number;
  /**
   * The clock that time-based blocks (rate limiter, data aggregator intervals) read, in
   * milliseconds since the epoch; `Date.now` when absent. Tests inject a fake one.
   */
  readonly clock?: () => number;
  /** The environment variables the secrets-store block may read; `process.env` when absent. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /**
   * Where a block reports what happens after its run has returned, when no run's `warnings` can
   * carry it (a fire-and-forget sink's failed write). Hosts pass their own logger; blocks fall
   * back to `process.emitWarning` when absent.
   */
  readonly logger?: HostLogger;
  readonly [key: string]: unknown;
}

/** The part of a host's logger blocks use (pino's and the jetson-runner's loggers both fit). */
export interface HostLogger {
  warn(message: string): void;
}

export interface CreateContext<M extends Manifest = Manifest> {
  readonly stepName: string;
  /** The properties written literally in the definition (selectors are absent). */
  readonly properties: Partial<InferInputs<M>>;
  readonly host: HostContext;
}

export interface RunContext {
  readonly stepName: string;
  /** Stateful blocks keep one instance per stream; this is its id. */
  readonly streamId: string;
  readonly signal: AbortSignal;
  /** Report a problem that is not fatal; it comes back in the run's `warnings`. */
  warn(message: string): void;
}

export interface BlockInstance<M extends Manifest = Manifest, O extends OutputsSpec = OutputsSpec> {
  run(inputs: InferInputs<M>, context: RunContext): Promise<RunResult<O>> | RunResult<O>;
  dispose?(): void | Promise<void>;
}

/**
 * What `run()` returns: the outputs; an `expand` block returns one list per output (one entry per
 * element of the new level); a flow-control block returns `{ continue: boolean }`.
 */
export type RunResult<O extends OutputsSpec> = InferOutputs<O> | { continue: boolean };

export type Dimensionality = 'keep' | 'expand' | 'collapse';

export interface BlockV1<M extends Manifest = Manifest, O extends OutputsSpec = OutputsSpec> {
  readonly specificationVersion: 'v1';
  /** Our type name, e.g. `vad/identify_outliers@v1`. */
  readonly type: string;
  /** Other names it answers to, e.g. Roboflow's `roboflow_core/identify_outliers@v1`. */
  readonly aliases?: readonly string[];
  readonly title: string;
  readonly description: string;
  readonly manifest: M;
  readonly outputs: O;
  /**
   * For a block whose outputs depend on how a step is written (Roboflow's `get_actual_outputs`:
   * one output per expected JSON field, per aggregated field and mode): the outputs of one step,
   * given its literal properties as the manifest parsed them (a property whose literal does not
   * parse is absent; binding reports it) and its dictionary and list properties as written. The compiler checks selectors against these; `outputs`
   * stays what the block declares for `describe` (usually `{'*': …}` or the fixed part).
   */
  readonly outputsFor?: (properties: Readonly<Record<string, unknown>>) => OutputsSpec;
  /** `expand` adds a level (a slicer), `collapse` removes one (a stitch). Default `keep`. */
  readonly dimensionality?: Dimensionality;
  /** Keeps state across runs (windows, accumulators): one instance per stream id. */
  readonly stateful?: boolean;
  /** Governs whether the steps in its `step_list` property run. */
  readonly flowControl?: boolean;
  create(context: CreateContext<M>): BlockInstance<M, O> | Promise<BlockInstance<M, O>>;
}

/** Any block, whatever its manifest. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyBlock = BlockV1<any, any>;

/** Identity helper that exists for type inference: `run()` gets typed inputs from the manifest. */
export function defineBlock<const M extends Manifest, const O extends OutputsSpec>(block: BlockV1<M, O>): BlockV1<M, O> {
  return block;
}
