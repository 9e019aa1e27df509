import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { coreBlocks, createBlockRegistry } from '@vad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner, resolveConfig, silentLogger } from '../src/index.js';
import { readJsonLines } from './helpers/frames.js';
import { removeFolder, temporaryFolder } from './helpers/media.js';

let folder: string;
beforeAll(() => {
  folder = temporaryFolder();
});
afterAll(() => removeFolder(folder));

describe('video metadata of the frames the runner reads', () => {
  it("ExtractFrameMetadata and a WorkflowVideoMetadata input see the runner's frame: numbered from 1, stamped when read", async () => {
    const video = path.join(folder, 'clip.avi');
    const made = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-frames:v', '12', '-c:v', 'mjpeg', video]);
    if (made.status !== 0) throw new Error(made.stderr.toString());
    const workflow = path.join(folder, 'frames.json');
    const property = (name: string, property_name: string) => ({ type: 'PropertyDefinition', name, data: '$inputs.image', operations: [{ type: 'ExtractFrameMetadata', property_name }] });
    writeFileSync(
      workflow,
      JSON.stringify({
        version: '1.0',
        inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowVideoMetadata', name: 'video' }],
        steps: [property('number', 'frame_number'), property('timestamp', 'frame_timestamp'), property('seconds', 'seconds_since_start')],
        outputs: [
          { type: 'JsonField', name: 'frame_number', selector: '$steps.number.output' },
          { type: 'JsonField', name: 'frame_timestamp', selector: '$steps.timestamp.output' },
          { type: 'JsonField', name: 'seconds_since_start', selector: '$steps.seconds.output' },
          { type: 'JsonField', name: 'video', selector: '$inputs.video' },
        ],
      }),
    );
    const jsonl = path.join(folder, 'frames.jsonl');
    const config = resolveConfig({ workflow, streams: [{ id: 'gate', source: video, width: 32, height: 24, fps: 10 }], anomaly: { output: 'frame_number', threshold: 1000 }, jsonl: { path: jsonl } });
    const runner = await createRunner(config, { registry: createBlockRegistry(coreBlocks()), logger: silentLogger });
    await runner.start();
    await runner.done;
    const lines = readJsonLines(jsonl);
    expect(lines).toHaveLength(12);
    lines.forEach((line, index) => {
      expect(line.error).toBeUndefined();
      expect(line.sequence).toBe(index);
      expect(line.outputs.frame_number).toBe(index + 1);
      expect(line.outputs.frame_timestamp).toBe(line.capturedAt);
      expect(line.outputs.seconds_since_start).toBeCloseTo(index / 10, 9);
      expect(line.outputs.video).toMatchObject({ video_identifier: 'gate', frame_number: index + 1, frame_timestamp: line.capturedAt, fps: 10, comes_from_video_file: true });
    });
  });
});
