import { describe, expect, it } from 'vitest';
import { coreBlocks } from './core-blocks/index.js';
import type { WorkflowDefinition } from './definition.js';
import { VadImage } from './image.js';
import { createBlockRegistry } from './registry.js';
import { createWorkflow } from './workflow.js';

const registry = createBlockRegistry(coreBlocks());
const extract = (name: string, property_name: string) => ({ type: 'PropertyDefinition', name, data: '$inputs.image', operations: [{ type: 'ExtractFrameMetadata', property_name }] });
const definition: WorkflowDefinition = {
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowVideoMetadata', name: 'video' }],
  steps: [extract('number', 'frame_number'), extract('timestamp', 'frame_timestamp')],
  outputs: [
    { type: 'JsonField', name: 'frame_number', selector: '$steps.number.output' },
    { type: 'JsonField', name: 'frame_timestamp', selector: '$steps.timestamp.output' },
    { type: 'JsonField', name: 'video', selector: '$inputs.video' },
  ],
};
const pixels = () => VadImage.fromPixels({ data: new Uint8Array(2 * 2 * 3), width: 2, height: 2 });

describe('the video frame an image is, through a whole workflow', () => {
  it('a still image (no stream named): frame 0 as Roboflow, one timestamp for every step of the run', async () => {
    const workflow = createWorkflow(definition, { registry });
    const before = Date.now();
    const [record] = (await workflow.run({ inputs: { image: pixels() } })).outputs;
    expect(record!.frame_number).toBe(0);
    const stamp = Date.parse(record!.frame_timestamp as string);
    expect(stamp).toBeGreaterThanOrEqual(before - 1);
    expect(stamp).toBeLessThanOrEqual(Date.now());
  });

  it('a named stream: the engine numbers the frames from 1, and the image and the WorkflowVideoMetadata input agree', async () => {
    const workflow = createWorkflow(definition, { registry });
    const numbers: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const [record] = (await workflow.run({ inputs: { image: pixels() }, streamId: 'gate' })).outputs;
      numbers.push(record!.frame_number);
      expect(record!.video).toMatchObject({ video_identifier: 'gate', frame_number: record!.frame_number, frame_timestamp: record!.frame_timestamp });
    }
    expect(numbers).toEqual([1, 2, 3]);
  });

  it("an image that carries its frame (the runner's) is read as given, and is what the video metadata input receives", async () => {
    const workflow = createWorkflow(definition, { registry });
    const videoMetadata = { video_identifier: 'file.mp4', frame_number: 42, frame_timestamp: '2026-12-07T06:00:00.000Z', fps: 25, measured_fps: null, comes_from_video_file: true };
    const image = VadImage.fromPixels({ data: new Uint8Array(3), width: 1, height: 1 }, { videoMetadata });
    const [record] = (await workflow.run({ inputs: { image }, streamId: 'gate' })).outputs;
    expect(record).toEqual({ frame_number: 42, frame_timestamp: '2026-12-07T06:00:00.000Z', video: videoMetadata });
  });

  it('a resized, rotated or flipped frame is still that frame', async () => {
    const steps = [
      { type: 'roboflow_core/image_preprocessing@v1', name: 'resize', image: '$inputs.image', task_type: 'resize', width: 4, height: 2 },
      { type: 'roboflow_core/image_preprocessing@v1', name: 'rotate', image: '$steps.resize.image', task_type: 'rotate', rotation_degrees: 30 },
      { type: 'roboflow_core/image_preprocessing@v1', name: 'flip', image: '$steps.rotate.image', task_type: 'flip', flip_type: 'vertical' },
      { type: 'PropertyDefinition', name: 'number', data: '$steps.flip.image', operations: [{ type: 'ExtractFrameMetadata', property_name: 'frame_number' }] },
    ];
    const workflow = createWorkflow({ version: '1.0', inputs: [{ type: 'WorkflowImage', name: 'image' }], steps, outputs: [{ type: 'JsonField', name: 'frame_number', selector: '$steps.number.output' }] }, { registry });
    const videoMetadata = { video_identifier: 'line-3', frame_number: 7, frame_timestamp: '2026-12-07T06:00:00.000Z', fps: 25, measured_fps: null, comes_from_video_file: false };
    const [record] = (await workflow.run({ inputs: { image: VadImage.fromPixels({ data: new Uint8Array(2 * 2 * 3), width: 2, height: 2 }, { videoMetadata }) } })).outputs;
    expect(record!.frame_number).toBe(7);
  });
});
