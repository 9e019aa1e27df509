import { describe, expect, it } from 'vitest';
import { compileWorkflow } from './compile.js';
import { coreBlocks } from './core-blocks/index.js';
import type { WorkflowDefinition } from './definition.js';
import { explainWorkflow } from './explain.js';
import { createBlockRegistry } from './registry.js';
import { testBlocks } from './__fixtures__/test-blocks.js';

const registry = createBlockRegistry([...coreBlocks(), ...testBlocks]);

const definition: WorkflowDefinition = {
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }],
  steps: [
    { type: 'test/image_size@v1', name: 'size', images: '$inputs.image' },
    { type: 'roboflow_core/anthropic_claude@v2', name: 'claude', images: '$inputs.image', prompt: 'what is this?' },
    { type: 'roboflow_core/detections_consensus@v9', name: 'consensus', predictions_batches: ['$steps.size.width'] },
    { type: 'test/add_one@v1', name: 'plus', value: '$steps.claude.output' },
    { type: 'test/add_one@v1', name: 'typo', value: '$steps.size.widht' },
    { type: 'test/add_one@v1', name: 'fine', value: '$steps.size.width' },
  ],
  outputs: [
    { type: 'JsonField', name: 'width', selector: '$steps.fine.value' },
    { type: 'JsonField', name: 'answer', selector: '$steps.claude.output' },
  ],
};

describe('explainWorkflow', () => {
  it('lists every step with its block or the reason it cannot run, past the first problem', () => {
    const explanation = explainWorkflow(definition, registry);
    expect(explanation.runnable).toBe(false);
    expect(explanation.workflowProblem).toBeUndefined();
    const byName = Object.fromEntries(explanation.steps.map((s) => [s.name, s]));
    expect(byName.size).toEqual({ name: 'size', type: 'test/image_size@v1', block: 'test/image_size@v1' });
    expect(byName.claude!.problem).toMatchObject({ kind: 'cloud', message: expect.stringMatching(/cloud block vad does not run \(Anthropic Claude/) });
    expect(byName.consensus!.problem).toMatchObject({ kind: 'unknown' });
    expect(byName.plus!.problem).toEqual({ kind: 'dependency', message: 'needs step "claude", which cannot run' });
    expect(byName.typo!.problem).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/^property "value", selector "\$steps\.size\.widht": /) });
    expect(byName.fine!.problem).toBeUndefined();
    expect(explanation.droppedOutputs).toEqual([{ name: 'answer', message: 'selects step "claude", which cannot run' }]);
  });

  it('leaves compileWorkflow stopping at the first problem', () => {
    expect(() => compileWorkflow(definition, registry)).toThrowError(/step "claude".*cloud block/);
  });

  it('lists the properties a step under a Roboflow name carries that its block ignores', () => {
    const written: WorkflowDefinition = {
      version: '1.0',
      inputs: [],
      steps: [
        { type: 'test/number@v1', name: 'n', value: 1 },
        { type: 'someone_else/increment@v1', name: 'plus', value: '$steps.n.value', num_classifications: 3 },
      ],
      outputs: [{ type: 'JsonField', name: 'out', selector: '$steps.plus.value' }],
    };
    const explanation = explainWorkflow(written, registry);
    expect(explanation.runnable).toBe(true);
    expect(explanation.steps.map((s) => s.ignored)).toEqual([undefined, ['num_classifications']]);
  });

  it('says a definition that compiles is runnable', () => {
    const good = { ...definition, steps: [definition.steps[0]!, definition.steps[5]!], outputs: [definition.outputs[0]!] };
    expect(explainWorkflow(good, registry)).toMatchObject({ runnable: true, droppedOutputs: [] });
  });

  it('reports a problem of the definition as a whole', () => {
    const explanation = explainWorkflow({ ...definition, version: '2.0' }, registry);
    expect(explanation.workflowProblem).toMatch(/unsupported workflow version "2.0"/);
    expect(explanation.runnable).toBe(false);
  });
});
