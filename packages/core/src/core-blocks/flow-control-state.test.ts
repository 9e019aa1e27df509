import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compile.js';
import type { WorkflowDefinition } from '../definition.js';
import { VadImage } from '../image.js';
import { isKindCompatible } from '../kinds.js';
import { createBlockRegistry } from '../registry.js';
import { createWorkflow } from '../workflow.js';
import { makePng, testBlocks } from '../__fixtures__/test-blocks.js';
import { coreBlocks } from './index.js';

const registry = createBlockRegistry([...coreBlocks(), ...testBlocks]);

/** One gate (`gate`) in front of `test/number@v1` step `after`, whose output `v` is null when the gate stopped it. */
function gated(gate: { type: string } & Record<string, unknown>): WorkflowDefinition {
  return {
    version: '1.0',
    inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowParameter', name: 'value', default_value: 0 }],
    steps: [
      { type: 'test/number@v1', name: 'source', value: '$inputs.value' },
      { name: 'gate', next_steps: ['$steps.after'], ...gate },
      { type: 'test/number@v1', name: 'after', value: '$steps.source.value' },
    ],
    outputs: [{ type: 'JsonField', name: 'v', selector: '$steps.after.value' }],
  };
}

describe('delta_filter', () => {
  const definition = gated({ type: 'roboflow_core/delta_filter@v1', value: '$steps.source.value', image: '$inputs.image' });

  it('lets a frame through only when the value changed since the previous frame of the stream', async () => {
    const image = await VadImage.fromBytes(await makePng(4, 4));
    const workflow = createWorkflow(definition, { registry });
    const seen: unknown[] = [];
    for (const value of [1, 1, 2, 2, 2, 1]) seen.push((await workflow.run({ inputs: { image, value } })).outputs[0]!.v);
    expect(seen).toEqual([1, null, 2, null, null, 1]);
    // another stream has its own previous value: 1 is new there
    expect((await workflow.run({ inputs: { image, value: 1 }, streamId: 'camera-2' })).outputs[0]!.v).toBe(1);
    // within one request, a batch is a sequence of frames
    const batch = await workflow.run({ inputs: { image: [image, image, image], value: 5 } });
    expect(batch.outputs.map((o) => o.v)).toEqual([5, null, null]);
  });
});

describe('rate_limiter', () => {
  it('lets the branch run once per cooldown, by the host clock', async () => {
    let now = 1_000_000;
    const definition = gated({ type: 'roboflow_core/rate_limiter@v1', cooldown_seconds: 1.5, depends_on: '$steps.source.value' });
    const workflow = createWorkflow(definition, { registry, host: { clock: () => now } });
    const image = await VadImage.fromBytes(await makePng(4, 4));
    const at = async (ms: number) => {
      now = 1_000_000 + ms;
      return (await workflow.run({ inputs: { image, value: 7 } })).outputs[0]!.v;
    };
    expect(await at(0)).toBe(7);
    expect(await at(1000)).toBeNull();
    expect(await at(1499)).toBeNull();
    expect(await at(1500)).toBe(7); // cooldown measured from the last run that passed
    expect(await at(2999)).toBeNull();
    expect(await at(3000)).toBe(7);
    // Roboflow's integration test: two images in one request, the second is throttled
    const batch = await workflow.run({ inputs: { image: [image, image], value: 7 } });
    expect(batch.outputs.map((o) => o.v)).toEqual([null, null]);
    now += 10_000;
    expect((await workflow.run({ inputs: { image: [image, image], value: 7 } })).outputs.map((o) => o.v)).toEqual([7, null]);
  });

  it('refuses a negative cooldown, naming the property', () => {
    const definition = gated({ type: 'roboflow_core/rate_limiter@v1', cooldown_seconds: -1, depends_on: '$steps.source.value' });
    expect(() => compileWorkflow(definition, registry)).toThrow(/step "gate", property "cooldown_seconds"/);
  });
});

describe('environment_secrets_store: one output per variable, named in lower case', () => {
  const definition = (names: unknown, selector = '$steps.secrets.my_key'): WorkflowDefinition => ({
    version: '1.0',
    inputs: [],
    steps: [{ type: 'roboflow_core/environment_secrets_store@v1', name: 'secrets', variables_storing_secrets: names }],
    outputs: [{ type: 'JsonField', name: 'key', selector }, { type: 'JsonField', name: 'all', selector: '$steps.secrets.*' }],
  });

  it('reads the host\'s environment; an unset variable is null', async () => {
    const workflow = createWorkflow(definition(['MY_KEY', 'Other_Token']), { registry, host: { environment: { MY_KEY: 's3cret' } } });
    const [record] = (await workflow.run({ inputs: {} })).outputs;
    expect(record).toEqual({ key: 's3cret', all: { my_key: 's3cret', other_token: null } });
  });

  it('checks selectors against the declared variables when the workflow compiles', () => {
    expect(() => compileWorkflow(definition(['MY_KEY'], '$steps.secrets.MY_KEY'), registry)).toThrow(/has no output "MY_KEY" \(it has: my_key\)/);
    expect(() => compileWorkflow(definition([]), registry)).toThrow(/property "variables_storing_secrets"/);
  });

  it('gives kind secret, which feeds a string property but not a number', () => {
    expect(isKindCompatible(['secret'], ['string'])).toBe(true);
    expect(isKindCompatible(['secret'], ['float'])).toBe(false);
  });
});
