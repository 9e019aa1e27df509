import sharp from 'sharp';
import { coreBlocks, createBlockRegistry, createWorkflow, VadImage } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { vadBlocks } from './index.js';

const gray = (level: number) => sharp({ create: { width: 16, height: 16, channels: 3, background: { r: level, g: level, b: level } } }).png().toBuffer();

describe('example/brightness@v1', () => {
  const registry = createBlockRegistry([...coreBlocks(), ...vadBlocks()]);
  const workflow = createWorkflow(
    {
      version: '1.0',
      inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowParameter', name: 'min', default_value: 30 }],
      steps: [{ type: 'example/brightness@v1', name: 'light', image: '$inputs.image', min: '$inputs.min' }],
      outputs: [
        { type: 'JsonField', name: 'brightness', selector: '$steps.light.brightness' },
        { type: 'JsonField', name: 'out_of_range', selector: '$steps.light.out_of_range' },
      ],
    },
    { registry },
  );

  it('measures mean luma and flags frames outside [min, max]', async () => {
    const images = await Promise.all([gray(10), gray(128), gray(250)].map(async (bytes) => VadImage.fromBytes(await bytes)));
    const { outputs } = await workflow.run({ inputs: { image: images } });
    expect(outputs.map((o) => o.brightness as number).map(Math.round)).toEqual([10, 128, 250]);
    expect(outputs.map((o) => o.out_of_range)).toEqual([true, false, true]);
    const relaxed = await workflow.run({ inputs: { image: images[0], min: 5 } });
    expect(relaxed.outputs[0]!.out_of_range).toBe(false);
  });
});
