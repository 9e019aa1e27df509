import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createWorkflow, VadImage } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { createStandardRegistry } from '../src/index.js';
import { photosDir, readCorpus } from './corpus-workflows.js';

const photos = photosDir;

describe.skipIf(!photos)('ExtractFrameMetadata on a real photo (corpus query/frame-metadata.json)', () => {
  it("a photo is Roboflow's still frame: number 0 at 30 fps, stamped at the request; frames of a named stream count from 1", async () => {
    const definition = await readCorpus('query/frame-metadata.json');
    const { registry } = await createStandardRegistry({ plugins: [] });
    const workflow = createWorkflow(definition, { registry });
    try {
      const bytes = await readFile(path.join(photos!, 'dog.jpg'));
      const before = Date.now();
      const [photo] = (await workflow.run({ inputs: { image: await VadImage.fromBytes(bytes) } })).outputs;
      expect(photo!.frame_number).toBe(0);
      expect(photo!.seconds_since_start).toBeCloseTo(-1 / 30, 9);
      const stamp = Date.parse(photo!.frame_timestamp as string);
      expect(stamp).toBeGreaterThanOrEqual(before - 1);
      expect(stamp).toBeLessThanOrEqual(Date.now());

      // The engine knows no fps for a named stream: seconds_since_start fails, naming the step.
      await expect(workflow.run({ inputs: { image: await VadImage.fromBytes(bytes) }, streamId: 'camera-1' })).rejects.toThrow(/step "elapsed".*seconds_since_start needs the video's fps/);
      const withoutElapsed = {
        ...definition,
        steps: definition.steps.filter((step) => step.name !== 'elapsed'),
        outputs: definition.outputs.filter((output) => output.name !== 'seconds_since_start'),
      };
      const stream = createWorkflow(withoutElapsed, { registry });
      const frames = [];
      for (let i = 0; i < 3; i++) frames.push((await stream.run({ inputs: { image: await VadImage.fromBytes(bytes) }, streamId: 'camera-1' })).outputs[0]!);
      await stream.dispose();
      expect(frames.map((frame) => frame.frame_number)).toEqual([1, 2, 3]);
      const stamps = frames.map((frame) => Date.parse(frame.frame_timestamp as string));
      expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    } finally {
      await workflow.dispose();
    }
  });
});
