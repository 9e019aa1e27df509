import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { embeddingBlocks } from '@vad/blocks-embedding';
import { createBlockRegistry, createWorkflow, VadImage } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { outlierBlocks } from '../src/index.js';

/**
 * A short real stream: 36 consecutive magnetic-tile normal images (file-name order, like tiles
 * passing a camera) with 4 defect images at fixed positions after the warm-up, through the real
 * workflow Image Embedding (offline InceptionV3) → Identify Outliers in three settings. It checks
 * the semantics on real embeddings; whether the defects are caught is measured, with precision
 * and recall over 315 frames, by bench/magnetic-tile-stream.mjs (see BENCHMARKS.md).
 */
const root = sharedPath('datasets/magnetic_tile/MT');

describe.skipIf(!root)('identify outliers on a magnetic-tile stream', () => {
  it('runs end to end on real images with Roboflow semantics, a low tail and a frozen reference', async () => {
    const good = (await readdir(path.join(root!, 'train/good'))).sort().slice(200, 236).map((file) => path.join(root!, 'train/good', file));
    const defectFiles = await Promise.all(
      ['blowhole', 'break', 'crack', 'uneven'].map(async (type) => path.join(root!, 'test', type, (await readdir(path.join(root!, 'test', type))).sort()[0]!)),
    );
    const defectPositions = [24, 29, 33, 38];
    const stream = [...good];
    defectPositions.forEach((position, index) => stream.splice(position, 0, defectFiles[index]!));
    // The 26th frame again at the end: a frozen reference must rank it exactly as before.
    stream.push(stream[25]!);

    const settings = { roboflow: {}, low_frozen: { tail: 'low', baseline: 'frozen', warmup: 20 }, low_sliding: { tail: 'low' } } as const;
    type Name = keyof typeof settings;
    const workflow = createWorkflow(
      {
        version: '1.0',
        inputs: [{ type: 'WorkflowImage', name: 'image' }],
        steps: [
          { type: 'roboflow_core/clip@v1', name: 'embed', data: '$inputs.image', model: 'inception_v3' },
          ...Object.entries(settings).map(([name, options]) => ({ type: 'roboflow_core/identify_outliers@v1', name, embedding: '$steps.embed.embedding', ...options })),
        ],
        outputs: Object.keys(settings).map((name) => ({ type: 'JsonField' as const, name, selector: `$steps.${name}.*` })),
      },
      { registry: createBlockRegistry([...embeddingBlocks(), ...outlierBlocks()]) },
    );
    type Verdict = { is_outlier: boolean; percentile: number; warming_up: boolean };
    const records: Record<Name, Verdict>[] = [];
    try {
      for (const file of stream) {
        const image = await VadImage.fromBytes(await readFile(file));
        records.push((await workflow.run({ inputs: { image }, streamId: 'line' })).outputs[0] as Record<Name, Verdict>);
      }
    } finally {
      await workflow.dispose();
    }
    const isDefect = (index: number) => defectPositions.includes(index);
    for (const name of Object.keys(settings) as Name[]) {
      const flagged = records.flatMap((r, index) => (r[name].is_outlier ? [`${index}${isDefect(index) ? ' (defect)' : ''}`] : []));
      console.info(`${name}: flagged ${flagged.join(', ') || 'nothing'}`);
    }
    // Warm-up: samples < warmup, the current one counted.
    expect(records.findIndex((r) => !r.roboflow.warming_up)).toBe(2);
    expect(records.findIndex((r) => !r.low_frozen.warming_up)).toBe(19);
    records.forEach((record, index) => {
      // Percentiles are ranks over the window: k / n with n = min(frames so far, 32).
      const n = Math.min(index + 1, 32);
      if (!record.roboflow.warming_up) expect(Math.abs(record.roboflow.percentile * n - Math.round(record.roboflow.percentile * n))).toBeLessThan(1e-9);
      expect(record.roboflow.is_outlier).toBe(!record.roboflow.warming_up && (record.roboflow.percentile < 0.05 || record.roboflow.percentile > 0.95));
      expect(record.low_sliding.is_outlier).toBe(!record.low_sliding.warming_up && record.low_sliding.percentile < 0.05);
      expect(record.low_frozen.percentile).toBeGreaterThanOrEqual(0);
      expect(record.low_frozen.percentile).toBeLessThanOrEqual(1);
    });
    // The reference froze at frame 19: the repeated frame ranks exactly as it did; in a sliding window it moved on.
    expect(records.at(-1)!.low_frozen.percentile).toBe(records[25]!.low_frozen.percentile);
    expect(records.at(-1)!.low_sliding.percentile).not.toBe(records[25]!.low_sliding.percentile);
  });
});
