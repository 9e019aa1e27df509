import path from 'node:path';
import { RunnerConfigError } from './errors.js';

/** What the CLI flags can set; each replaces the config file's value. */
export interface CliOverrides {
  workflow?: string;
  stream?: string[];
  size?: string;
  fps?: string;
  port?: string;
  host?: string;
  http?: boolean;
  jsonl?: string;
  archiveDir?: string;
  webhook?: string;
  anomalyOutput?: string;
  anomalyThreshold?: string;
  executionProviders?: string;
  logLevel?: string;
}

/**
 * Applies CLI flags to the raw config (before validation, so a bad flag gets the same clear
 * error as a bad key). Paths given on the command line are relative to the working directory.
 */
export function applyCliOverrides(raw: Record<string, unknown>, flags: CliOverrides, cwd = process.cwd()): Record<string, unknown> {
  const config: Record<string, unknown> = { ...raw };
  const object = (key: string) => ({ ...((config[key] as Record<string, unknown> | undefined) ?? {}) });
  const number = (flag: string, value: string) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) throw new RunnerConfigError({ message: `--${flag} must be a number (got "${value}")`, property: flag });
    return parsed;
  };
  if (flags.workflow) config.workflow = path.resolve(cwd, flags.workflow);
  if (flags.stream?.length) {
    config.streams = flags.stream.map((text) => {
      const match = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(text);
      if (!match) throw new RunnerConfigError({ message: `--stream takes ID=SOURCE, e.g. line1=rtsp://camera/stream (got "${text}")`, property: 'stream' });
      const source = match[2]!;
      const local = !/^[a-z][a-z0-9+.-]*:\/\//i.test(source) && !source.startsWith('v4l2:');
      return { id: match[1], source: local ? path.resolve(cwd, source) : source };
    });
  }
  if (flags.size) {
    const match = /^(\d+)x(\d+)$/.exec(flags.size);
    if (!match) throw new RunnerConfigError({ message: `--size takes WIDTHxHEIGHT, e.g. 640x480 (got "${flags.size}")`, property: 'size' });
    config.frame = { ...object('frame'), width: Number(match[1]), height: Number(match[2]) };
  }
  if (flags.fps) config.frame = { ...object('frame'), fps: number('fps', flags.fps) };
  if (flags.http === false) config.http = false;
  else if (flags.port !== undefined || flags.host !== undefined) {
    const http = config.http === false || config.http === undefined ? {} : object('http');
    if (flags.port !== undefined) http.port = number('port', flags.port);
    if (flags.host !== undefined) http.host = flags.host;
    config.http = http;
  }
  if (flags.jsonl) config.jsonl = { ...object('jsonl'), path: path.resolve(cwd, flags.jsonl) };
  if (flags.archiveDir) config.archive = { ...object('archive'), dir: path.resolve(cwd, flags.archiveDir) };
  if (flags.webhook) config.webhook = { ...object('webhook'), url: flags.webhook };
  if (flags.anomalyOutput) config.anomaly = { ...object('anomaly'), output: flags.anomalyOutput };
  if (flags.anomalyThreshold) config.anomaly = { ...object('anomaly'), threshold: number('anomaly-threshold', flags.anomalyThreshold) };
  if (flags.executionProviders) config.executionProviders = flags.executionProviders.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  if (flags.logLevel) config.logLevel = flags.logLevel;
  return config;
}
