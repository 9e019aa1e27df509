import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { coreBlocks, createBlockRegistry, createWorkflow, VadImage, type AnomalyMap, type Detections, type WorkflowDefinition } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { compareToReference, detectionBlocks, type AlignmentMode } from '../src/index.js';
import { iou, type Corners } from './iou.js';

const root = sharedPath('datasets/deeppcb/PCBData');
const pairCount = 8;

function pairs() {
  return readFileSync(path.join(root!, 'test.txt'), 'utf8').trim().split('\n')
    .map((line) => line.trim().split(/\s+/) as [string, string])
    .filter(([image]) => existsSync(path.join(root!, image.replace('.jpg', '_test.jpg'))))
    .slice(0, pairCount);
}

async function load(image: string) {
  const base = path.join(root!, image.replace('.jpg', ''));
  return Promise.all([VadImage.fromBytes(readFileSync(`${base}_test.jpg`)), VadImage.fromBytes(readFileSync(`${base}_temp.jpg`))]);
}

/** Recall and precision at IoU 0.5 over the first pairs of the test split, class-agnostic. */
async function evaluate(alignment: AlignmentMode) {
  let truthCount = 0;
  let found = 0;
  let detections = 0;
  for (const [image, annotation] of pairs()) {
    const truth = readFileSync(path.join(root!, annotation), 'utf8').trim().split('\n').map((l) => l.trim().split(/[\s,]+/).map(Number).slice(0, 4) as unknown as Corners);
    const [test, template] = await load(image);
    const { predictions } = await compareToReference(test, template, { alignment });
    const boxes = predictions.predictions.map((p) => [p.x - p.width / 2, p.y - p.height / 2, p.x + p.width / 2, p.y + p.height / 2] as Corners);
    truthCount += truth.length;
    detections += boxes.length;
    const used = new Set<number>();
    for (const t of truth) {
      const match = boxes.findIndex((b, k) => !used.has(k) && iou(b, t) >= 0.5);
      if (match >= 0) {
        used.add(match);
        found++;
      }
    }
  }
  return { recall: found / truthCount, precision: found / detections };
}

describe.skipIf(!root)(`reference comparison on the first ${pairCount} DeepPCB test pairs`, () => {
  it('finds the annotated defects (IoU ≥ 0.5), and alignment does not hurt', async () => {
    const aligned = await evaluate('piecewise');
    const unaligned = await evaluate('none');
    console.log(`DeepPCB first ${pairCount} test pairs: piecewise recall ${aligned.recall.toFixed(3)} precision ${aligned.precision.toFixed(3)}; none recall ${unaligned.recall.toFixed(3)} precision ${unaligned.precision.toFixed(3)}`);
    expect(aligned.recall).toBeGreaterThanOrEqual(0.9);
    expect(aligned.precision).toBeGreaterThanOrEqual(0.8);
    expect(aligned.recall).toBeGreaterThanOrEqual(unaligned.recall - 0.02);
    expect(aligned.precision).toBeGreaterThanOrEqual(unaligned.precision - 0.02);
  });

  it('runs as a workflow step with Roboflow-shaped predictions and an anomaly map', async () => {
    const definition = {
      version: '1.0',
      inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowImage', name: 'template' }],
      steps: [{ type: 'vad/reference_comparison@v1', name: 'compare', image: '$inputs.image', reference_image: '$inputs.template', min_score: 0.05 }],
      outputs: [
        { type: 'JsonField', name: 'defects', selector: '$steps.compare.predictions' },
        { type: 'JsonField', name: 'map', selector: '$steps.compare.anomaly_map' },
      ],
    } as WorkflowDefinition;
    const workflow = createWorkflow(definition, { registry: createBlockRegistry([...coreBlocks(), ...detectionBlocks()]) });
    const [test, template] = await load(pairs()[0]![0]);
    const { outputs } = await workflow.run({ inputs: { image: test, template } });
    await workflow.dispose();
    const defects = outputs[0]!.defects as Detections;
    const map = outputs[0]!.map as AnomalyMap;
    expect(defects.image).toEqual({ width: 640, height: 640 });
    expect(defects.predictions.length).toBeGreaterThan(0);
    for (const p of defects.predictions) {
      expect(p.class).toBe('difference');
      expect(p.parent_id).toBe(test.id);
      expect(p.confidence).toBeGreaterThanOrEqual(0.05);
      expect(p.confidence).toBeLessThan(1);
      // the map is hot at each defect's centre region
      let peak = 0;
      for (let y = Math.round(p.y - p.height / 4); y < p.y + p.height / 4; y++) for (let x = Math.round(p.x - p.width / 4); x < p.x + p.width / 4; x++) peak = Math.max(peak, map.data[y * 640 + x]!);
      expect(peak).toBeGreaterThan(0.3);
    }
  });
});
