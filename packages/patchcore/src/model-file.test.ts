import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFile, writeModelFile } from './model-file.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'vad-model-file-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

const bank = Float32Array.from({ length: 6 * 5 }, (_, index) => Math.sin(index) * 10);
const mean = Float32Array.from([1, 2, 3]);

describe('model file', () => {
  it('round-trips header and arrays, float16 within half precision', async () => {
    const file = path.join(folder, 'model.vad');
    await writeModelFile(file, { header: { detector: 'patchcore', threshold: 1.5 }, arrays: { bank: { data: bank, shape: [6, 5] }, mean: { data: mean, shape: [3] } } }, { float16: ['bank'] });
    const { header, arrays, float16 } = await readModelFile<{ detector: string; threshold: number }>(file);
    expect(header).toEqual({ detector: 'patchcore', threshold: 1.5 });
    expect(float16).toEqual(['bank']);
    expect(arrays.mean!.data).toEqual(mean);
    expect(arrays.bank!.shape).toEqual([6, 5]);
    arrays.bank!.data.forEach((value, index) => expect(value).toBeCloseTo(bank[index]!, 2));
    expect((await readdir(folder)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('refuses a truncated file, a changed byte and a foreign file, naming the file', async () => {
    const file = path.join(folder, 'model.vad');
    await writeModelFile(file, { header: { detector: 'patchcore' }, arrays: { bank: { data: bank, shape: [6, 5] } } });
    const bytes = await readFile(file);
    const truncated = path.join(folder, 'truncated.vad');
    await writeFile(truncated, bytes.subarray(0, bytes.length - 40));
    await expect(readModelFile(truncated)).rejects.toMatchObject({ name: 'VAD_ModelLoadError', path: truncated, message: expect.stringMatching(/truncated\.vad is truncated or corrupted/) });
    const altered = path.join(folder, 'altered.vad');
    const copy = Buffer.from(bytes);
    copy[copy.length - 50] = copy[copy.length - 50]! ^ 1;
    await writeFile(altered, copy);
    await expect(readModelFile(altered)).rejects.toThrow(/checksum/);
    const foreign = path.join(folder, 'foreign.onnx');
    await writeFile(foreign, Buffer.alloc(100, 7));
    await expect(readModelFile(foreign)).rejects.toThrow(/foreign\.onnx is not a vad anomaly model/);
  });
});
