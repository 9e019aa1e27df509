import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { coreBlocks, createBlockRegistry } from '@vad/core';
import { outlierBlocks } from '@vad/outliers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner, resolveConfig, silentLogger } from '../src/index.js';
import { quadrantColours } from './fixtures/intensity-plugin.mjs';
import { readJsonLines } from './helpers/frames.js';
import { removeFolder, temporaryFolder } from './helpers/media.js';

let folder: string;
beforeAll(() => {
  folder = temporaryFolder();
});
afterAll(() => removeFolder(folder));

const registry = () => createBlockRegistry([...coreBlocks(), ...outlierBlocks(), quadrantColours]);

function lavfiVideo(name: string, source: string) {
  const video = path.join(folder, name);
  const result = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', source, '-frames:v', '30', '-c:v', 'mjpeg', '-q:v', '2', video]);
  if (result.status !== 0) throw new Error(result.stderr.toString());
  return video;
}

describe('several streams in one process', () => {
  it('stateful blocks keep one state per stream: a stream gives the same verdicts beside another stream as alone', async () => {
    const left = lavfiVideo('left.avi', 'testsrc=size=64x48:rate=10');
    const right = lavfiVideo('right.avi', 'mandelbrot=size=64x48:rate=10');
    const workflow = path.join(folder, 'outliers.json');
    writeFileSync(
      workflow,
      JSON.stringify({
        version: '1.0',
        inputs: [{ type: 'WorkflowImage', name: 'image' }],
        steps: [
          { type: 'test/quadrant_colours@v1', name: 'colours', image: '$inputs.image' },
          { type: 'vad/identify_outliers@v1', name: 'outliers', embedding: '$steps.colours.embedding', warmup: 3, window_size: 8, threshold_percentile: 0.2 },
        ],
        outputs: [
          { type: 'JsonField', name: 'is_outlier', selector: '$steps.outliers.is_outlier' },
          { type: 'JsonField', name: 'percentile', selector: '$steps.outliers.percentile' },
        ],
      }),
    );
    const run = async (name: string, streams: { id: string; source: string }[]) => {
      const jsonl = path.join(folder, `${name}.jsonl`);
      const config = resolveConfig({ workflow, streams: streams.map((stream) => ({ ...stream, width: 32, height: 24 })), anomaly: { output: 'is_outlier' }, jsonl: { path: jsonl } });
      const runner = await createRunner(config, { registry: registry(), logger: silentLogger });
      await runner.start();
      const stats = await runner.done;
      const byStream = (id: string) => readJsonLines(jsonl).filter((line) => line.stream === id).map((line) => [line.sequence, line.outputs.is_outlier, line.outputs.percentile]);
      return { stats, byStream };
    };
    const together = await run('together', [{ id: 'left', source: left }, { id: 'right', source: right }]);
    const alone = await run('alone', [{ id: 'left', source: left }]);
    expect(together.stats.map((stream) => [stream.id, stream.processed])).toEqual([['left', 30], ['right', 30]]);
    const leftTogether = together.byStream('left');
    expect(leftTogether).toHaveLength(30);
    expect(leftTogether).toEqual(alone.byStream('left'));
    // The two streams differ, so a shared window would have changed the left stream's verdicts.
    expect(together.byStream('right').map((row) => row[2])).not.toEqual(leftTogether.map((row) => row[2]));
  });
});
