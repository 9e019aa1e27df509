import { describe, expect, it } from 'vitest';
import { compileWorkflow } from './compile.js';
import { coreBlocks } from './core-blocks/index.js';
import type { WorkflowDefinition } from './definition.js';
import { WorkflowCompileError } from './errors.js';
import { createBlockRegistry } from './registry.js';
import { testBlocks } from './__fixtures__/test-blocks.js';

const registry = createBlockRegistry([...coreBlocks(), ...testBlocks]);

function definition(steps: WorkflowDefinition['steps'], outputs: WorkflowDefinition['outputs'] = [], inputs: WorkflowDefinition['inputs'] = []): WorkflowDefinition {
  return {
    version: '1.0',
    inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowParameter', name: 'threshold', default_value: 0.5 }, ...inputs],
    steps,
    outputs,
  };
}

function compileError(def: WorkflowDefinition) {
  try {
    compileWorkflow(def, registry);
  } catch (error) {
    expect(WorkflowCompileError.isInstance(error)).toBe(true);
    return error as InstanceType<typeof WorkflowCompileError>;
  }
  throw new Error('expected the definition to be rejected');
}

describe('compileWorkflow rejects', () => {
  it('an unknown block type, naming the step', () => {
    const error = compileError(definition([{ type: 'vendor/nope@v1', name: 'detector' }]));
    expect(error.stepName).toBe('detector');
    expect(error.message).toMatch(/step "detector".*unknown block type "vendor\/nope@v1"/);
  });

  it('a Roboflow cloud block, naming the step and the type and saying vad does not run it', () => {
    for (const type of ['roboflow_core/google_gemini@v3', 'roboflow_core/open_ai@v7', 'LMM', 'roboflow_core/roboflow_dataset_upload@v2']) {
      const error = compileError(definition([{ type, name: 'ask' }]));
      expect(error).toMatchObject({ stepName: 'ask', property: 'type' });
      expect(error.message).toContain(`step "ask", property "type": block type "${type}" is a cloud block vad does not run (`);
    }
  });

  it('a selector to an unknown input', () => {
    const error = compileError(definition([{ type: 'test/image_size@v1', name: 'size', image: '$inputs.picture' }]));
    expect(error).toMatchObject({ stepName: 'size', property: 'image', selector: '$inputs.picture' });
    expect(error.message).toMatch(/no input named "picture"/);
  });

  it('a selector to an unknown step', () => {
    const error = compileError(definition([{ type: 'test/add_one@v1', name: 'plus', value: '$steps.ghost.value' }]));
    expect(error).toMatchObject({ stepName: 'plus', property: 'value', selector: '$steps.ghost.value' });
    expect(error.message).toMatch(/no step named "ghost"/);
  });

  it('a selector to an unknown output of a known step', () => {
    const error = compileError(
      definition([
        { type: 'test/number@v1', name: 'n', value: 1 },
        { type: 'test/add_one@v1', name: 'plus', value: '$steps.n.total' },
      ]),
    );
    expect(error).toMatchObject({ stepName: 'plus', property: 'value', selector: '$steps.n.total' });
    expect(error.message).toMatch(/has no output "total" \(it has: value\)/);
  });

  it.each(['$steps.n', '$inputs.image.width', '$step.n.value', '$steps..value'])('the malformed selector %s', (selector) => {
    const error = compileError(
      definition([
        { type: 'test/number@v1', name: 'n', value: 1 },
        { type: 'test/add_one@v1', name: 'plus', value: selector },
      ]),
    );
    expect(error).toMatchObject({ stepName: 'plus', property: 'value', selector });
    expect(error.message).toMatch(/malformed selector/);
  });

  it('a kind mismatch, naming both kinds', () => {
    const error = compileError(definition([{ type: 'test/add_one@v1', name: 'plus', value: '$inputs.image' }]));
    expect(error).toMatchObject({ stepName: 'plus', property: 'value', selector: '$inputs.image' });
    expect(error.message).toMatch(/kind mismatch: the selector gives \[image\] but the property accepts \[float\]/);
  });

  it('a cycle, naming the steps in it', () => {
    const error = compileError(
      definition([
        { type: 'test/add_one@v1', name: 'a', value: '$steps.c.value' },
        { type: 'test/add_one@v1', name: 'b', value: '$steps.a.value' },
        { type: 'test/add_one@v1', name: 'c', value: '$steps.b.value' },
      ]),
    );
    expect(error.message).toMatch(/cycle between steps: (a → c → b → a|b → a → c → b|c → b → a → c)/);
  });

  it('duplicate step names', () => {
    const error = compileError(
      definition([
        { type: 'test/number@v1', name: 'n', value: 1 },
        { type: 'test/number@v1', name: 'n', value: 2 },
      ]),
    );
    expect(error).toMatchObject({ stepName: 'n' });
    expect(error.message).toMatch(/duplicate step name/);
  });

  it('duplicate input names', () => {
    const error = compileError(definition([], [], [{ type: 'WorkflowImage', name: 'image' }]));
    expect(error.message).toMatch(/duplicate input name "image"/);
  });

  it('duplicate output names', () => {
    const error = compileError(
      definition(
        [{ type: 'test/number@v1', name: 'n', value: 1 }],
        [
          { type: 'JsonField', name: 'out', selector: '$steps.n.value' },
          { type: 'JsonField', name: 'out', selector: '$steps.n.value' },
        ],
      ),
    );
    expect(error).toMatchObject({ property: 'out' });
  });

  it('a missing required property', () => {
    const error = compileError(definition([{ type: 'test/add_one@v1', name: 'plus' }]));
    expect(error).toMatchObject({ stepName: 'plus', property: 'value' });
    expect(error.message).toMatch(/missing required property/);
  });

  it('an invalid literal, with the schema\'s reason', () => {
    const error = compileError(definition([{ type: 'vad/image_resize@v1', name: 'resize', image: '$inputs.image', width: -3, height: 10 }]));
    expect(error).toMatchObject({ stepName: 'resize', property: 'width' });
    expect(error.message).toMatch(/invalid value -3/);
  });

  it('an unknown property, listing the accepted ones', () => {
    const error = compileError(definition([{ type: 'test/number@v1', name: 'n', value: 1, vlaue: 2 }]));
    expect(error).toMatchObject({ stepName: 'n', property: 'vlaue' });
    expect(error.message).toMatch(/accepts: value/);
  });

  it('an unknown property under another name than the vad type is ignored, as Roboflow ignores it, and listed in the plan', () => {
    const written = definition([
      { type: 'test/number@v1', name: 'n', value: 1 },
      { type: 'someone_else/increment@v1', name: 'plus', value: '$steps.n.value', num_classifications: '$inputs.undeclared' },
    ]);
    const plan = compileWorkflow(written, registry);
    expect(plan.ignoredProperties).toEqual([{ stepName: 'plus', property: 'num_classifications' }]);
    // Under the vad name the same property is an error.
    const error = compileError(definition([{ type: 'test/number@v1', name: 'n', value: 1 }, { type: 'test/add_one@v1', name: 'plus', value: '$steps.n.value', num_classifications: 3 }]));
    expect(error).toMatchObject({ stepName: 'plus', property: 'num_classifications' });
  });

  it('a property given under two of its names, naming both', () => {
    const error = compileError(definition([{ type: 'test/image_size@v1', name: 'size', image: '$inputs.image', images: '$inputs.image' }]));
    expect(error).toMatchObject({ stepName: 'size', property: 'image' });
    expect(error.message).toMatch(/"image" and "images"/);
  });

  it('a literal where a selector is required', () => {
    const error = compileError(definition([{ type: 'test/image_size@v1', name: 'size', image: 'photo.jpg' }]));
    expect(error).toMatchObject({ stepName: 'size', property: 'image' });
    expect(error.message).toMatch(/expected a selector of kind \[image\]/);
  });

  it('an output that selects nothing', () => {
    const error = compileError(definition([{ type: 'test/number@v1', name: 'n', value: 1 }], [{ type: 'JsonField', name: 'result', selector: '$steps.n.missing' }]));
    expect(error).toMatchObject({ property: 'outputs.result', selector: '$steps.n.missing' });
    expect(error.message).toMatch(/output selects nothing/);
    const second = compileError(definition([], [{ type: 'JsonField', name: 'result', selector: '$steps.gone.value' }]));
    expect(second.message).toMatch(/no step named "gone"/);
  });

  it('a collapsing step fed a value without a nested level', () => {
    const error = compileError(
      definition([
        { type: 'test/number@v1', name: 'n', value: 1 },
        { type: 'test/sum@v1', name: 'total', values: '$steps.n.value' },
      ]),
    );
    expect(error).toMatchObject({ stepName: 'total', property: 'values', selector: '$steps.n.value' });
    expect(error.message).toMatch(/wrong dimensionality/);
  });

  it('a step whose data inputs come from different levels', () => {
    const error = compileError(
      definition([
        { type: 'test/strip_slicer@v1', name: 'slicer', image: '$inputs.image' },
        { type: 'test/image_size@v1', name: 'per_slice', image: '$steps.slicer.slices' },
        { type: 'test/sum@v1', name: 'total', values: '$steps.per_slice.width', image: '$steps.slicer.slices' },
      ]),
    );
    expect(error).toMatchObject({ stepName: 'total', property: 'image', selector: '$steps.slicer.slices' });
    expect(error.message).toMatch(/wrong dimensionality: the value has level 1; expected level 0/);
  });

  it('an unsupported version: another major, or not a version at all (every 1.x is read, as Roboflow\'s engine does)', () => {
    expect(compileError({ ...definition([]), version: '2.0' }).message).toMatch(/unsupported workflow version "2.0"; this engine reads 1\.x/);
    expect(compileError({ ...definition([]), version: '0.9' }).message).toMatch(/unsupported workflow version "0.9"/);
    expect(compileError({ ...definition([]), version: 'latest' })).toMatchObject({ property: 'version', message: expect.stringContaining('is not a version number') });
    for (const version of ['1', '1.0', '1.0.0', '1.1', '1.3.0', '1.4.0', '1.12.7']) expect(() => compileWorkflow({ ...definition([]), version }, registry), version).not.toThrow();
  });
});

describe('compileWorkflow accepts', () => {
  it('Roboflow type names through aliases, and orders steps by their dependencies', () => {
    const plan = compileWorkflow(
      definition(
        [
          { type: 'someone_else/increment@v1', name: 'last', value: '$steps.first.value' },
          { type: 'test/number@v1', name: 'first', value: '$inputs.threshold' },
          { type: 'roboflow_core/property_definition@v1', name: 'count', data: '$steps.last.value', operations: [{ type: 'ToString' }] },
        ],
        [{ type: 'JsonField', name: 'text', selector: '$steps.count.output' }],
      ),
      registry,
    );
    expect(plan.steps.map((s) => s.name)).toEqual(['first', 'last', 'count']);
    expect(plan.steps[1]!.block.type).toBe('test/add_one@v1');
  });

  it('levels for a slicer, a per-slice step and an aggregator', () => {
    const plan = compileWorkflow(
      definition([
        { type: 'test/strip_slicer@v1', name: 'slicer', image: '$inputs.image' },
        { type: 'test/image_size@v1', name: 'per_slice', image: '$steps.slicer.slices' },
        { type: 'test/sum@v1', name: 'total', values: '$steps.per_slice.width', image: '$inputs.image' },
      ]),
      registry,
    );
    expect(plan.steps.map((s) => [s.name, s.runLevel, s.outputLevel])).toEqual([
      ['slicer', 0, 1],
      ['per_slice', 1, 1],
      ['total', 0, 0],
    ]);
  });
});
