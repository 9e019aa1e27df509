import { createBlockRegistry, createWorkflow, VadImage, type AnomalyMap } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { anomalyRegions } from './anomaly-regions.js';
import { anomalyRegionsBlock } from './blocks.js';

function mapWithBlobs(): AnomalyMap {
  const width = 40;
  const height = 30;
  const data = new Float32Array(width * height).fill(0.1);
  // A strong blob (peak 0.9) at x 5–9, y 4–7 and a weak one (peak 0.6) at x 30–31, y 20–21.
  for (let y = 4; y <= 7; y++) for (let x = 5; x <= 9; x++) data[y * width + x] = x === 7 && y === 5 ? 0.9 : 0.7;
  for (let y = 20; y <= 21; y++) for (let x = 30; x <= 31; x++) data[y * width + x] = 0.6;
  return { kind: 'anomaly_map', width, height, data, threshold: 0.5, imageId: 'img_a' };
}

describe('anomalyRegions', () => {
  it('boxes each region above the threshold, confidence from its peak', () => {
    const { image, predictions } = anomalyRegions(mapWithBlobs());
    expect(image).toEqual({ width: 40, height: 30 });
    expect(predictions).toHaveLength(2);
    expect(predictions[0]).toMatchObject({ x: 7.5, y: 6, width: 5, height: 4, class: 'anomaly', class_id: 0, parent_id: 'img_a', area: 20 });
    expect(predictions[0]!.confidence).toBeCloseTo(0.9, 6);
    expect(predictions[1]!.confidence).toBeCloseTo(0.6, 6);
  });

  it('drops regions under min_area and follows a higher threshold', () => {
    expect(anomalyRegions(mapWithBlobs(), { minArea: 5 }).predictions).toHaveLength(1);
    expect(anomalyRegions(mapWithBlobs(), { threshold: 0.65 }).predictions).toHaveLength(1);
  });

  it('runs as vad/anomaly_regions@v1 in a workflow', async () => {
    const map = mapWithBlobs();
    const registry = createBlockRegistry([
      anomalyRegionsBlock,
      {
        specificationVersion: 'v1',
        type: 'test/fixed_map@v1',
        title: 'Fixed map',
        description: 'Emits a fixed anomaly map',
        manifest: {},
        outputs: { anomaly_map: { kinds: ['anomaly_map'] } },
        create: () => ({ run: () => ({ anomaly_map: map }) }),
      },
    ]);
    const workflow = await createWorkflow(
      {
        version: '1.0',
        inputs: [{ type: 'WorkflowImage', name: 'image' }],
        steps: [
          { type: 'test/fixed_map@v1', name: 'map' },
          { type: 'vad/anomaly_regions@v1', name: 'regions', anomaly_map: '$steps.map.anomaly_map', min_area: 5 },
        ],
        outputs: [{ type: 'JsonField', name: 'regions', selector: '$steps.regions.predictions' }],
      },
      { registry },
    );
    const image = VadImage.fromPixels({ data: new Uint8Array(40 * 30 * 3), width: 40, height: 30 });
    const { outputs } = await workflow.run({ inputs: { image } });
    const regions = (outputs[0] as { regions: { predictions: unknown[] } }).regions;
    expect(regions.predictions).toHaveLength(1);
  });
});
