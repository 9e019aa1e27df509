import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRunnerRegistry, loadConfig, loadWorkflow } from '../src/index.js';

const examples = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples');

describe('the shipped examples', () => {
  it('runner.yaml is a valid config, and both example workflows compile with the runner\'s blocks', async () => {
    const config = loadConfig(path.join(examples, 'runner.yaml'));
    expect(config.streams.map((stream) => [stream.id, stream.source.type])).toEqual([
      ['line-1', 'rtsp'],
      ['line-2', 'v4l2'],
    ]);
    expect(config.executionProviders).toEqual(['tensorrt', 'cuda', 'cpu']);
    const registry = await createRunnerRegistry();
    const patchcore = await loadWorkflow(config.workflow, registry, {});
    const names = patchcore.definition.outputs.map((output) => output.name);
    expect(names).toContain(config.anomaly.output);
    expect(names).toContain(config.preview.output);
    expect(names).toContain(config.archive!.imageOutput);
    const outliers = await loadWorkflow(path.join(examples, 'outlier-workflow.json'), registry, {});
    expect(outliers.plan.steps.map((step) => step.block.type)).toEqual(['vad/image_embedding@v1', 'vad/identify_outliers@v1']);
  });

  it('a workflow that does not compile is reported with its file, step and property', async () => {
    const registry = await createRunnerRegistry();
    const file = path.join(examples, 'outlier-workflow.json');
    await expect(loadWorkflow(file, { get: (type) => (type === 'vad/identify_outliers@v1' ? undefined : registry.get(type)), list: registry.list }, {})).rejects.toThrow(
      new RegExp(`workflow file ${file.replace(/[/.]/g, '\\$&')}: .*outliers`),
    );
  });
});
