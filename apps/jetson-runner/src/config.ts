import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from '@vad/core';
import { parse as parseYaml } from 'yaml';
import { RunnerConfigError, messageOf } from './errors.js';
import { parseSourceShorthand } from './sources/source-spec.js';
import type { SourceSpec } from './sources/source-spec.js';

const streamId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'stream ids use letters, digits, "_", "-" and "." (at most 64)');
const positiveInteger = z.number().int().positive();
const size = positiveInteger.max(8192);

const sourceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('file'), path: z.string().min(1), loop: z.boolean().optional(), realtime: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('rtsp'), url: z.string().regex(/^rtsps?:\/\//i, 'an RTSP URL starts with rtsp:// or rtsps://'), transport: z.enum(['tcp', 'udp']).optional() }).strict(),
  z.object({ type: z.literal('http'), url: z.string().regex(/^https?:\/\//i, 'an HTTP URL starts with http:// or https://') }).strict(),
  z
    .object({
      type: z.literal('v4l2'),
      device: z.string().default('/dev/video0'),
      inputFormat: z.string().optional(),
      size: z.string().regex(/^\d+x\d+$/, 'a size is WIDTHxHEIGHT, e.g. 1280x720').optional(),
      fps: z.number().positive().optional(),
    })
    .strict(),
  z.object({ type: z.literal('images'), dir: z.string().min(1), pattern: z.string().optional(), fps: z.number().positive().optional(), loop: z.boolean().optional() }).strict(),
]);

const streamSchema = z
  .object({
    id: streamId,
    /** A source object, or a shorthand string: a URL, /dev/videoN, a folder or a video file. */
    source: z.union([z.string().min(1), sourceSchema]),
    width: size.optional(),
    height: size.optional(),
    fps: z.number().positive().max(240).optional(),
    /** `latest` drops frames when the workflow is slower than the source; `block` reads at the workflow's pace. */
    policy: z.enum(['latest', 'block']).optional(),
    /**
     * Frames that may wait for the workflow (bounded; the oldest is dropped under `latest`). 1 keeps only
     * the newest; a few absorb bursts, e.g. the second of frames ffmpeg hands over at once after connecting.
     */
    queueSize: z.number().int().min(1).max(256).default(1),
    /** Values for the workflow's parameter inputs, for this stream only. */
    parameters: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const runnerConfigSchema = z
  .object({
    /** Path to a Roboflow-format workflow definition (JSON). */
    workflow: z.string().min(1),
    /** The workflow input that receives frames; default: its first image input. */
    imageInput: z.string().optional(),
    /** Values for the workflow's parameter inputs, for every stream. */
    parameters: z.record(z.string(), z.unknown()).default({}),
    frame: z.object({ width: size.default(640), height: size.default(480), fps: z.number().positive().max(240).optional() }).strict().default({ width: 640, height: 480 }),
    streams: z.array(streamSchema).min(1, 'at least one stream is needed'),
    /** Which workflow output means "anomaly": a boolean, or a number compared with `threshold`. Dotted paths reach into objects. */
    anomaly: z.object({ output: z.string().min(1), threshold: z.number().optional() }).strict(),
    /** ONNX Runtime execution providers handed to blocks, in order of preference (e.g. tensorrt, cuda, cpu). */
    executionProviders: z.array(z.enum(['tensorrt', 'cuda', 'cpu'])).min(1).default(['cpu']),
    modelsDir: z.string().optional(),
    cacheDir: z.string().optional(),
    /** Extra block packages, or module files (`./my-blocks.mjs`), each exporting `vadBlocks()`. */
    plugins: z.array(z.string()).default([]),
    ffmpegPath: z.string().default('ffmpeg'),
    reconnect: z
      .object({ initialDelayMs: positiveInteger.default(500), maxDelayMs: positiveInteger.default(30_000), maxAttempts: z.number().int().min(0).default(0) })
      .strict()
      .default({ initialDelayMs: 500, maxDelayMs: 30_000, maxAttempts: 0 }),
    openTimeoutMs: positiveInteger.default(15_000),
    stallTimeoutMs: positiveInteger.default(10_000),
    /** The HTTP server for the MJPEG preview, /metrics and /healthz; `false` turns it off. */
    http: z.union([z.literal(false), z.object({ host: z.string().default('0.0.0.0'), port: z.number().int().min(0).max(65535).default(8080) }).strict()]).default(false),
    preview: z
      .object({ output: z.string().optional(), maxFps: z.number().positive().default(5), quality: z.number().int().min(1).max(100).default(80) })
      .strict()
      .default({ maxFps: 5, quality: 80 }),
    jsonl: z.object({ path: z.string().min(1), exclude: z.array(z.string()).default([]) }).strict().optional(),
    webhook: z
      .object({
        url: z.string().regex(/^https?:\/\//i, 'a webhook URL starts with http:// or https://'),
        debounceMs: z.number().int().min(0).default(10_000),
        retries: z.number().int().min(0).default(5),
        retryDelayMs: positiveInteger.default(1000),
        timeoutMs: positiveInteger.default(5000),
        headers: z.record(z.string(), z.string()).default({}),
        /** Events waiting beyond this are dropped (and counted): a dead endpoint must not fill memory. */
        maxPending: z.number().int().min(2).default(1000),
      })
      .strict()
      .optional(),
    archive: z
      .object({
        dir: z.string().min(1),
        /** Oldest frames are deleted once the folder holds more than this. */
        maxBytes: positiveInteger.default(1024 ** 3),
        /** Frames older than this are deleted. */
        maxAgeSeconds: positiveInteger.default(7 * 24 * 3600),
        /** A workflow image output to save instead of the raw frame (e.g. the annotated one). */
        imageOutput: z.string().optional(),
        quality: z.number().int().min(1).max(100).default(90),
      })
      .strict()
      .optional(),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  })
  .strict()
  .superRefine((config, context) => {
    const ids = new Set<string>();
    config.streams.forEach((stream, index) => {
      if (ids.has(stream.id)) context.addIssue({ code: 'custom', path: ['streams', index, 'id'], message: `stream id "${stream.id}" is used twice` });
      ids.add(stream.id);
    });
  });

export type RawRunnerConfig = z.input<typeof runnerConfigSchema>;
type ParsedConfig = z.output<typeof runnerConfigSchema>;

export interface StreamConfig {
  id: string;
  source: SourceSpec;
  width: number;
  height: number;
  fps: number | undefined;
  policy: 'latest' | 'block' | undefined;
  queueSize: number;
  parameters: Record<string, unknown>;
}

/** The validated config, with paths resolved against the config file's folder and stream defaults applied. */
export type RunnerConfig = Omit<ParsedConfig, 'streams' | 'frame'> & { streams: StreamConfig[] };

/** Reads a YAML or JSON config file (not validated yet: apply CLI overrides, then `resolveConfig`). */
export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new RunnerConfigError({ message: `config file ${file} could not be read: ${messageOf(cause)}`, path: file, cause });
  }
  let value: unknown;
  try {
    value = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new RunnerConfigError({ message: `config file ${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${messageOf(cause)}`, path: file, cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RunnerConfigError({ message: `config file ${file} must hold an object (workflow, streams, anomaly, …)`, path: file });
  }
  return value as Record<string, unknown>;
}

/**
 * Validates a raw config. Every problem is listed in one error, each with its key path
 * (`streams[1].source.url: …`), so a person fixes the file in one go.
 */
export function resolveConfig(raw: unknown, options: { baseDir?: string; file?: string } = {}): RunnerConfig {
  const where = options.file ?? 'config';
  const parsed = runnerConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${formatPath(issue.path) || '(top level)'}: ${issue.message}`);
    const first = parsed.error.issues[0];
    throw new RunnerConfigError({
      message: `${where} is not a valid runner config:\n${lines.join('\n')}`,
      path: options.file,
      property: first ? formatPath(first.path) : undefined,
    });
  }
  const config = parsed.data;
  const baseDir = options.baseDir ?? process.cwd();
  const resolvePath = (value: string) => path.resolve(baseDir, value);
  const isDirectory = (value: string) => existsSync(resolvePath(value)) && statSync(resolvePath(value)).isDirectory();
  const streams = config.streams.map((stream): StreamConfig => {
    let source = typeof stream.source === 'string' ? parseSourceShorthand(stream.source, isDirectory) : (stream.source as SourceSpec);
    if (source.type === 'file') source = { ...source, path: resolvePath(source.path) };
    if (source.type === 'images') source = { ...source, dir: resolvePath(source.dir) };
    return {
      id: stream.id,
      source,
      width: stream.width ?? config.frame.width,
      height: stream.height ?? config.frame.height,
      fps: stream.fps ?? config.frame.fps,
      policy: stream.policy,
      queueSize: stream.queueSize,
      parameters: { ...config.parameters, ...stream.parameters },
    };
  });
  const { frame: _frame, ...rest } = config;
  return {
    ...rest,
    workflow: resolvePath(config.workflow),
    modelsDir: config.modelsDir && resolvePath(config.modelsDir),
    cacheDir: config.cacheDir && resolvePath(config.cacheDir),
    jsonl: config.jsonl && { ...config.jsonl, path: resolvePath(config.jsonl.path) },
    archive: config.archive && { ...config.archive, dir: resolvePath(config.archive.dir) },
    plugins: config.plugins.map((name) => (name.startsWith('./') || name.startsWith('../') ? resolvePath(name) : name)),
    streams,
  };
}

function formatPath(segments: readonly PropertyKey[]): string {
  return segments.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`)).join('');
}

/** Reads, overrides and validates in one step: what the CLI does. */
export function loadConfig(file: string | undefined, overrides: (raw: Record<string, unknown>) => Record<string, unknown> = (raw) => raw): RunnerConfig {
  const raw = file ? readConfigFile(file) : {};
  return resolveConfig(overrides(raw), { baseDir: file ? path.dirname(path.resolve(file)) : process.cwd(), file });
}
