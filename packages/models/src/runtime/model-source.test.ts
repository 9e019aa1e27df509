import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from '@vad/core';
import { buildModel } from '../onnx/build-model.js';
import { resolveModelSource, resolvePackageRoot } from './model-source.js';
import { createSession } from './session.js';

const modelBytes = buildModel({
  inputs: [{ name: 'x', type: 'float32', shape: [-1, 3] }],
  outputs: [{ name: 'y', type: 'float32' }],
  nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
});
const modelSha256 = createHash('sha256').update(modelBytes).digest('hex');

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe('model sources', () => {
  let server: Server;
  let baseUrl: string;
  let requests = 0;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'vad-models-cache-'));
    server = createServer((request, response) => {
      requests += 1;
      if (request.url === '/relu.onnx') {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        response.end(Buffer.from(modelBytes));
      } else if (request.url === '/truncated.onnx') {
        response.writeHead(200, { 'content-length': String(modelBytes.length) });
        response.write(Buffer.from(modelBytes.subarray(0, 10)));
        response.destroy();
      } else {
        response.writeHead(404);
        response.end('not here');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('fetches a URL once into the cache, verifies its sha256 and runs it', async () => {
    const before = requests;
    const source = { url: `${baseUrl}/relu.onnx`, sha256: modelSha256 };
    const file = await resolveModelSource(source, { cacheDir });
    expect(file).toBe(path.join(cacheDir, 'models', modelSha256, 'relu.onnx'));
    expect(await resolveModelSource(source, { cacheDir })).toBe(file);
    expect(requests - before).toBe(1);
    const session = await createSession(source, { cacheDir, cache: false });
    const { y } = await session.run({ x: { data: Float32Array.of(-1, 0, 2), dims: [1, 3] } });
    expect(Array.from(y!.data as Float32Array)).toEqual([0, 0, 2]);
    await session.dispose();
  });

  it('rejects a sha256 mismatch and leaves nothing in the cache', async () => {
    const emptyCache = await mkdtemp(path.join(os.tmpdir(), 'vad-models-mismatch-'));
    const wrong = 'ab'.repeat(32);
    const url = `${baseUrl}/relu.onnx`;
    const error = await resolveModelSource({ url, sha256: wrong }, { cacheDir: emptyCache }).catch((caught: unknown) => caught);
    expect(ModelLoadError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(url);
    expect((error as Error).message).toContain(`sha256 ${modelSha256}, expected ${wrong}`);
    expect(await listFiles(emptyCache)).toEqual([]);
    await rm(emptyCache, { recursive: true, force: true });
  });

  it('rejects a download that breaks off, an HTTP error and an unreachable URL, naming the URL', async () => {
    const emptyCache = await mkdtemp(path.join(os.tmpdir(), 'vad-models-broken-'));
    const truncated = `${baseUrl}/truncated.onnx`;
    await expect(resolveModelSource({ url: truncated, sha256: modelSha256 }, { cacheDir: emptyCache })).rejects.toThrow(truncated);
    const missing = `${baseUrl}/missing.onnx`;
    await expect(resolveModelSource({ url: missing, sha256: modelSha256 }, { cacheDir: emptyCache })).rejects.toThrow(`${missing} answered HTTP 404`);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = `http://127.0.0.1:${port}/model.onnx`;
    const error = await resolveModelSource({ url: unreachable, sha256: modelSha256 }, { cacheDir: emptyCache }).catch((caught: unknown) => caught);
    expect(ModelLoadError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`${unreachable.replace(/[.:/]/g, '\\$&')} could not be fetched \\(ECONNREFUSED\\)`));
    expect(await listFiles(emptyCache)).toEqual([]);
    await rm(emptyCache, { recursive: true, force: true });
  });

  it('rejects a corrupt model file with a ModelLoadError naming the path', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'vad-models-corrupt-'));
    const file = path.join(folder, 'corrupt.onnx');
    await writeFile(file, Buffer.from('this is not a protobuf model at all'));
    const error = await createSession(file, { cache: false }).catch((caught: unknown) => caught);
    expect(ModelLoadError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(`could not load the model ${file} with execution providers [cpu]`);
    await expect(createSession(path.join(folder, 'absent.onnx'))).rejects.toThrow(/absent\.onnx does not exist/);
    await rm(folder, { recursive: true, force: true });
  });

  it('finds a file inside an installed npm package, even when its exports hide package.json', async () => {
    const root = resolvePackageRoot('nsfwjs');
    const file = await resolveModelSource({ package: 'nsfwjs', file: 'dist/models/mobilenet_v2/model.min.js' });
    expect(file).toBe(path.join(root, 'dist/models/mobilenet_v2/model.min.js'));
    await expect(resolveModelSource({ package: 'nsfwjs', file: 'dist/models/none.onnx' })).rejects.toThrow('nsfwjs/dist/models/none.onnx does not exist');
    await expect(resolveModelSource({ package: 'no-such-package-vad', file: 'x.onnx' })).rejects.toThrow('"no-such-package-vad" is not installed');
  });

  it('shares one native session between callers with the same model and options', async () => {
    const source = { url: `${baseUrl}/relu.onnx`, sha256: modelSha256 };
    const first = await createSession(source, { cacheDir });
    const second = await createSession(source, { cacheDir });
    expect(second.inferenceSession).toBe(first.inferenceSession);
    const other = await createSession(source, { cacheDir, intraOpThreads: 1 });
    expect(other.inferenceSession).not.toBe(first.inferenceSession);
    await first.dispose();
    const { y } = await second.run({ x: { data: Float32Array.of(-3, 4, 5), dims: [1, 3] } });
    expect(Array.from(y!.data as Float32Array)).toEqual([0, 4, 5]);
    await second.dispose();
    await other.dispose();
    await expect(second.run({ x: { data: Float32Array.of(1, 1, 1), dims: [1, 3] } })).rejects.toThrow(/disposed/);
    await expect(other.run({ wrong: { data: Float32Array.of(1, 1, 1), dims: [1, 3] } })).rejects.toThrow(/disposed/);
    const fresh = await createSession(source, { cacheDir, cache: false });
    await expect(fresh.run({ wrong: { data: Float32Array.of(1, 1, 1), dims: [1, 3] } })).rejects.toThrow(/running .*relu\.onnx failed with inputs wrong \[1, 3\] float32 \(expected x\)/);
    await fresh.dispose();
  });

  it('falls back along the execution providers and fails clearly when none loads', async () => {
    const file = await resolveModelSource({ url: `${baseUrl}/relu.onnx`, sha256: modelSha256 }, { cacheDir });
    // without the CUDA libraries (this CPU build), ONNX Runtime refuses 'cuda': the session falls back to 'cpu'
    const session = await createSession(file, { executionProviders: ['cuda', 'cpu'], cache: false });
    expect(session.executionProviders.at(-1)).toBe('cpu');
    const { y } = await session.run({ x: { data: Float32Array.of(-1, 1, 2), dims: [1, 3] } });
    expect(Array.from(y!.data as Float32Array)).toEqual([0, 1, 2]);
    await session.dispose();
    await expect(createSession(file, { executionProviders: ['no-such-provider'], cache: false })).rejects.toThrow(
      `ONNX Runtime could not load the model ${file} with execution providers [no-such-provider]`,
    );
  });
});
