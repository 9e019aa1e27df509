import { createBlockRegistry, createWorkflow, describeBlock, type WorkflowDefinition } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { identifyChanges, identifyOutliers, outlierBlocks, vadBlocks } from './index.js';

const registry = createBlockRegistry(outlierBlocks());

function outliersWorkflow(step: Record<string, unknown> = {}) {
  const definition: WorkflowDefinition = {
    version: '1.0',
    inputs: [
      { type: 'WorkflowParameter', name: 'embedding', kind: ['embedding'] },
      { type: 'WorkflowParameter', name: 'threshold', default_value: 0.05 },
      { type: 'WorkflowParameter', name: 'window', default_value: 32 },
    ],
    steps: [{ type: 'roboflow_core/identify_outliers@v1', name: 'outliers', embedding: '$inputs.embedding', threshold_percentile: '$inputs.threshold', ...step }],
    outputs: [
      { type: 'JsonField', name: 'is_outlier', selector: '$steps.outliers.is_outlier' },
      { type: 'JsonField', name: 'percentile', selector: '$steps.outliers.percentile' },
      { type: 'JsonField', name: 'warming_up', selector: '$steps.outliers.warming_up' },
    ],
  };
  return createWorkflow(definition, { registry });
}

const s = Math.SQRT1_2;

describe('outlier blocks in a workflow', () => {
  it('exports both blocks with Roboflow aliases, stateful', () => {
    expect(vadBlocks()).toEqual([identifyOutliers, identifyChanges]);
    expect(registry.get('roboflow_core/identify_outliers@v1')).toBe(identifyOutliers);
    expect(registry.get('roboflow_core/identify_changes@v1')).toBe(identifyChanges);
    const described = describeBlock(identifyOutliers);
    expect(described.stateful).toBe(true);
    expect(described.outputs_manifest.map((o) => o.name)).toEqual(['is_outlier', 'percentile', 'warming_up']);
    expect(described.block_schema.required).toEqual(['type', 'name', 'embedding']);
  });

  it('keeps one window per stream id and forgets it on resetStream', async () => {
    const workflow = outliersWorkflow();
    const frame = async (vector: number[], streamId: string) =>
      (await workflow.run({ inputs: { embedding: Float32Array.from(vector) }, streamId })).outputs[0]!;
    await frame([1, 0], 'camera-a');
    await frame([0, 1], 'camera-a');
    await frame([1, 0], 'camera-b');
    // camera-a's third frame is the first verdict (2/3, as computed by hand in outlier-detector.test.ts);
    // camera-b has seen only two frames.
    expect(await frame([s, s], 'camera-a')).toEqual({ is_outlier: false, percentile: expect.closeTo(2 / 3, 12), warming_up: false });
    expect(await frame([s, s], 'camera-b')).toMatchObject({ warming_up: true });
    await workflow.resetStream('camera-a');
    expect(await frame([1, 0, 0], 'camera-a')).toMatchObject({ warming_up: true });
    await workflow.dispose();
  });

  it('takes tail and baseline as literals and threshold_percentile from an input', async () => {
    const workflow = outliersWorkflow({ tail: 'low', baseline: 'frozen', warmup: 3 });
    const outputs = [];
    for (const vector of [[1, 0], [0, 1], [s, s], [-1, 0]]) {
      outputs.push((await workflow.run({ inputs: { embedding: Float32Array.from(vector), threshold: 0.1 } })).outputs[0]!);
    }
    expect(outputs[3]).toEqual({ is_outlier: true, percentile: 0, warming_up: false });
    expect(() => outliersWorkflow({ tail: 'high' })).toThrow(/step "outliers", property "tail": invalid value "high"/);
    expect(() => outliersWorkflow({ tail: '$inputs.threshold' })).toThrow(/must be written literally/);
  });

  it('fails the step with a clear error when the dimension changes mid-stream', async () => {
    const workflow = outliersWorkflow();
    await workflow.run({ inputs: { embedding: new Float32Array(2048).fill(0.1) } });
    const failure = workflow.run({ inputs: { embedding: new Float32Array(768).fill(0.1) } });
    await expect(failure).rejects.toThrow(/step "outliers" \(vad\/identify_outliers@v1\) failed: .*dimension 768 but this stream's state holds 2048-dimensional/);
    await expect(failure).rejects.toMatchObject({ name: 'VAD_StepExecutionError', stepName: 'outliers', cause: { name: 'VAD_InvalidInputError', property: 'embedding' } });
  });

  it('refuses a window_size changed mid-stream through an input, and takes null as no limit', async () => {
    const workflow = outliersWorkflow({ window_size: '$inputs.window' });
    const withWindow = (window: number | null, vector: number[]) => workflow.run({ inputs: { embedding: Float32Array.from(vector), window } as never });
    // Unlimited: (0,1) then 39 × (1,0); at frame 40 the first frame is still in the window → 1/40.
    await withWindow(null, [0, 1]);
    let last;
    for (let i = 0; i < 39; i++) last = await withWindow(null, [1, 0]);
    expect(last!.outputs[0]!.percentile).toBe(1 / 40);
    await expect(withWindow(32, [1, 0])).rejects.toThrow(/window_size\/warmup changed mid-stream \(from null\/3 to 32\/3\); reset the stream first/);
  });

  it('rejects a zero vector and NaN through the workflow', async () => {
    const workflow = outliersWorkflow();
    await expect(workflow.run({ inputs: { embedding: new Float32Array(4) } })).rejects.toThrow(/zero vector/);
    await expect(workflow.run({ inputs: { embedding: Float32Array.from([1, Number.NaN]) } })).rejects.toThrow(/NaN at index 1/);
  });

  it('runs identify changes under its Roboflow name with its outputs', async () => {
    const workflow = createWorkflow(
      {
        version: '1.0',
        inputs: [{ type: 'WorkflowParameter', name: 'embedding', kind: ['embedding'] }],
        steps: [
          {
            type: 'roboflow_core/identify_changes@v1',
            name: 'changes',
            strategy: 'Exponential Moving Average (EMA)',
            embedding: '$inputs.embedding',
            smoothing_factor: 0.5,
          },
        ],
        outputs: [{ type: 'JsonField', name: 'result', selector: '$steps.changes.*' }],
      },
      { registry },
    );
    let last: Record<string, unknown> = {};
    for (const vector of [[1, 0], [0, 1], [1, 0], [0, 1]]) last = (await workflow.run({ inputs: { embedding: Float32Array.from(vector) } })).outputs[0]!.result as Record<string, unknown>;
    // The fourth frame of the EMA case computed by hand in change-detector.test.ts.
    expect(last).toMatchObject({ is_outlier: false, warming_up: false, z_score: expect.closeTo(-0.10527986427671694, 6), percentile: expect.closeTo(0.5419231299239329, 6) });
    expect(Array.from(last.average as Float32Array)).toEqual([expect.closeTo(0.375, 6), expect.closeTo(0.625, 6)]);
  });
});
