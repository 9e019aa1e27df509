import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCliOverrides } from './cli-overrides.js';
import { loadConfig, resolveConfig } from './config.js';
import { RunnerConfigError } from './errors.js';

const minimal = { workflow: 'workflow.json', streams: [{ id: 'line1', source: 'rtsp://camera.local/stream' }], anomaly: { output: 'is_outlier' } };

describe('resolveConfig', () => {
  it('fills defaults and reads shorthand sources', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'vad-config-'));
    mkdirSync(path.join(folder, 'frames'));
    const config = resolveConfig(
      {
        ...minimal,
        streams: [
          { id: 'a', source: 'rtsp://user:secret@camera/stream' },
          { id: 'b', source: 'http://camera/video.mjpg' },
          { id: 'c', source: '/dev/video0', width: 320, height: 240 },
          { id: 'd', source: 'frames' },
          { id: 'e', source: 'clip.mp4', policy: 'latest' },
        ],
      },
      { baseDir: folder },
    );
    expect(config.streams.map((s) => s.source.type)).toEqual(['rtsp', 'http', 'v4l2', 'images', 'file']);
    expect(config.streams[2]).toMatchObject({ width: 320, height: 240 });
    expect(config.streams[0]).toMatchObject({ width: 640, height: 480, fps: undefined, policy: undefined, queueSize: 1 });
    expect(config.streams[3]!.source).toEqual({ type: 'images', dir: path.join(folder, 'frames') });
    expect(config.streams[4]!.source).toEqual({ type: 'file', path: path.join(folder, 'clip.mp4') });
    expect(config.workflow).toBe(path.join(folder, 'workflow.json'));
    expect(config.executionProviders).toEqual(['cpu']);
    expect(config.http).toBe(false);
    expect(config.reconnect).toEqual({ initialDelayMs: 500, maxDelayMs: 30_000, maxAttempts: 0 });
  });

  it('lists every problem with its key path in one error', () => {
    let error: unknown;
    try {
      resolveConfig({
        workflow: 'w.json',
        streams: [
          { id: 'same', source: { type: 'rtsp', url: 'http://wrong' } },
          { id: 'same', source: 'x.mp4', fps: -1 },
        ],
        anomaly: {},
        executionProviders: ['directml'],
        colour: 'blue',
      }, { file: 'runner.yaml' });
    } catch (caught) {
      error = caught;
    }
    expect(RunnerConfigError.isInstance(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('runner.yaml is not a valid runner config');
    expect(message).toMatch(/streams\[0\]\.source\.url: an RTSP URL starts with rtsp:\/\//);
    expect(message).toMatch(/streams\[1\]\.fps/);
    expect(message).toMatch(/anomaly\.output/);
    expect(message).toMatch(/executionProviders\[0\]/);
    expect(message).toMatch(/colour/);
    // Cross-field checks run once every field is valid.
    expect(() => resolveConfig({ ...minimal, streams: [minimal.streams[0], minimal.streams[0]] })).toThrow(/streams\[1\]\.id: stream id "line1" is used twice/);
  });

  it('reads YAML and JSON files, resolving paths against the file; a broken file names itself', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'vad-config-'));
    writeFileSync(path.join(folder, 'runner.yaml'), 'workflow: flows/w.json\nstreams:\n  - id: cam\n    source: rtsp://cam/1\nanomaly: { output: flagged }\njsonl: { path: out/frames.jsonl }\n');
    const config = loadConfig(path.join(folder, 'runner.yaml'));
    expect(config.workflow).toBe(path.join(folder, 'flows/w.json'));
    expect(config.jsonl?.path).toBe(path.join(folder, 'out/frames.jsonl'));
    writeFileSync(path.join(folder, 'broken.json'), '{ "workflow": ');
    expect(() => loadConfig(path.join(folder, 'broken.json'))).toThrow(/broken\.json is not valid JSON/);
    expect(() => loadConfig(path.join(folder, 'missing.yaml'))).toThrow(/missing\.yaml could not be read/);
  });
});

describe('applyCliOverrides', () => {
  it('replaces the file\'s values; paths on the command line are relative to the working directory', () => {
    const raw = applyCliOverrides(
      { ...minimal, http: { port: 8080 }, frame: { width: 640, height: 480 } },
      { stream: ['left=rtsp://a/1', 'right=clips/right.mp4'], size: '320x240', fps: '5', port: '0', jsonl: 'out.jsonl', webhook: 'http://hooks/x', anomalyOutput: 'score', anomalyThreshold: '0.7', executionProviders: 'TensorRT,cuda,cpu' },
      '/work',
    );
    const config = resolveConfig(raw, { baseDir: '/elsewhere' });
    expect(config.streams.map((s) => [s.id, s.source])).toEqual([
      ['left', { type: 'rtsp', url: 'rtsp://a/1' }],
      ['right', { type: 'file', path: '/work/clips/right.mp4' }],
    ]);
    expect(config.streams[0]).toMatchObject({ width: 320, height: 240, fps: 5 });
    expect(config.http).toEqual({ host: '0.0.0.0', port: 0 });
    expect(config.jsonl?.path).toBe('/work/out.jsonl');
    expect(config.webhook?.url).toBe('http://hooks/x');
    expect(config.anomaly).toEqual({ output: 'score', threshold: 0.7 });
    expect(config.executionProviders).toEqual(['tensorrt', 'cuda', 'cpu']);
  });

  it('explains a malformed flag', () => {
    expect(() => applyCliOverrides(minimal, { stream: ['no-equals-sign'] })).toThrow(/--stream takes ID=SOURCE/);
    expect(() => applyCliOverrides(minimal, { size: '640' })).toThrow(/--size takes WIDTHxHEIGHT/);
    expect(() => applyCliOverrides(minimal, { port: 'eighty' })).toThrow(/--port must be a number/);
    expect(() => resolveConfig(applyCliOverrides(minimal, { http: false }))).not.toThrow();
  });
});
