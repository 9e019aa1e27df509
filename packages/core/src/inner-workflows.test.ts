import { describe, expect, it } from 'vitest';
import { compileWorkflow } from './compile.js';
import { coreBlocks } from './core-blocks/index.js';
import type { WorkflowDefinition } from './definition.js';
import { createBlockRegistry } from './registry.js';
import { createWorkflow } from './workflow.js';
import { testBlocks } from './__fixtures__/test-blocks.js';

const registry = createBlockRegistry([...coreBlocks(), ...testBlocks]);

/** Adds one to its input `x` (default 10) and gives it as `plus`. */
const child = {
  version: '1.0',
  inputs: [{ type: 'WorkflowParameter', name: 'x', default_value: 10 }],
  steps: [
    { type: 'test/number@v1', name: 'n', value: '$inputs.x' },
    { type: 'test/add_one@v1', name: 'inc', value: '$steps.n.value' },
  ],
  outputs: [{ type: 'JsonField', name: 'plus', selector: '$steps.inc.value' }],
};

function parent(nested: Record<string, unknown>, extraSteps: WorkflowDefinition['steps'] = []): WorkflowDefinition {
  return {
    version: '1.1',
    inputs: [{ type: 'WorkflowParameter', name: 'start', default_value: 1 }],
    steps: [{ type: 'roboflow_core/inner_workflow@v1', name: 'nested', ...nested }, ...extraSteps],
    outputs: [{ type: 'JsonField', name: 'result', selector: '$steps.nested.plus' }],
  } as WorkflowDefinition;
}

describe('inner workflows (roboflow_core/inner_workflow@v1)', () => {
  it('run inlined: bindings feed the child, the parent reads its outputs, unbound inputs take their default', async () => {
    const bound = createWorkflow(parent({ workflow_definition: child, parameter_bindings: { x: '$inputs.start' } }), { registry });
    expect((await bound.run({ inputs: { start: 41 } })).outputs).toEqual([{ result: 42 }]);
    const literal = createWorkflow(parent({ workflow_definition: child, parameter_bindings: { x: 5 } }), { registry });
    expect((await literal.run({ inputs: {} })).outputs).toEqual([{ result: 6 }]);
    const defaulted = createWorkflow(parent({ workflow_definition: child }), { registry });
    expect((await defaulted.run({ inputs: {} })).outputs).toEqual([{ result: 11 }]);
  });

  it('read the inline definition under "embedded_workflow" too (some revisions of Roboflow\'s tests), but not under both names', async () => {
    const embedded = createWorkflow(parent({ embedded_workflow: child, parameter_bindings: { x: '$inputs.start' } }), { registry });
    expect((await embedded.run({ inputs: { start: 1 } })).outputs).toEqual([{ result: 2 }]);
    expect(() => compileWorkflow(parent({ embedded_workflow: child, workflow_definition: child }), registry)).toThrow(/given twice, as "workflow_definition" and "embedded_workflow"/);
  });

  it('nest: a child that holds an inner workflow itself, and parent steps reading the child', async () => {
    const middle = {
      version: '1.0',
      inputs: [{ type: 'WorkflowParameter', name: 'y' }],
      steps: [{ type: 'roboflow_core/inner_workflow@v1', name: 'deeper', workflow_definition: child, parameter_bindings: { x: '$inputs.y' } }],
      outputs: [{ type: 'JsonField', name: 'plus', selector: '$steps.deeper.plus' }],
    };
    const definition = parent({ workflow_definition: middle, parameter_bindings: { y: '$inputs.start' } }, [
      { type: 'test/add_one@v1', name: 'after', value: '$steps.nested.plus' },
    ]);
    definition.outputs.push({ type: 'JsonField', name: 'after', selector: '$steps.after.value' });
    const plan = compileWorkflow(definition, registry);
    expect(plan.steps.map((s) => s.name).sort()).toEqual(['after', 'nested__deeper__inc', 'nested__deeper__n']);
    const workflow = createWorkflow(definition, { registry });
    expect((await workflow.run({ inputs: { start: 1 } })).outputs).toEqual([{ result: 2, after: 3 }]);
  });

  it('refuse what cannot be inlined, naming the step and property', () => {
    const error = (nested: Record<string, unknown>) => {
      try {
        compileWorkflow(parent(nested), registry);
      } catch (e) {
        return e as Error & { stepName?: string; property?: string };
      }
      throw new Error('compiled');
    };
    expect(error({ workflow_id: 'saved', workflow_workspace_id: 'ws', parameter_bindings: {} })).toMatchObject({ stepName: 'nested', property: 'workflow_id' });
    expect(error({ workflow_definition: child, parameter_bindings: { z: 1 } }).message).toMatch(/binds "z", which the inner workflow does not declare \(it has: x\)/);
    const noDefault = { ...child, inputs: [{ type: 'WorkflowParameter', name: 'x' }] };
    expect(error({ workflow_definition: noDefault }).message).toMatch(/input "x" is neither bound nor has a default_value/);
    const wrongOutput = { ...parent({ workflow_definition: child }), outputs: [{ type: 'JsonField', name: 'r', selector: '$steps.nested.minus' }] } as WorkflowDefinition;
    expect(() => compileWorkflow(wrongOutput, registry)).toThrow(/inner workflow "nested" has no output "minus" \(it has: plus\)/);
  });
});
