import { describe, expect, it } from 'vitest';
import { coreBlocks, createBlockRegistry, createWorkflow, describe as describeBlocks, VadImage, type WorkflowDefinition } from '@vad/core';
import { boundingBoxVisualization, labelVisualization, visualizeBlocks } from '../src/index.js';
import { detection } from '../scripts/fixtures.mjs';
import { gradientImage, runBlock } from './photos.js';

const registry = createBlockRegistry([...coreBlocks(), ...visualizeBlocks()]);
const predictions = {
  image: { width: 160, height: 120 },
  predictions: [detection([20, 50, 90, 110], { class: 'scratch', class_id: 1, confidence: 0.77 }), detection([100, 30, 150, 90], { class: 'dent', class_id: 4, confidence: 0.52 })],
};

describe('visualize blocks in a workflow', () => {
  it("runs a Roboflow definition that uses Roboflow's type names and property names", async () => {
    const definition: WorkflowDefinition = {
      version: '1.0',
      inputs: [
        { type: 'WorkflowImage', name: 'image' },
        { type: 'WorkflowParameter', name: 'predictions', kind: ['object_detection_prediction'] },
        { type: 'WorkflowParameter', name: 'palette', default_value: 'Matplotlib Tab10' },
      ],
      steps: [
        { type: 'roboflow_core/bounding_box_visualization@v1', name: 'boxes', image: '$inputs.image', predictions: '$inputs.predictions', color_palette: '$inputs.palette', thickness: 3, roundness: 0.2 },
        { type: 'roboflow_core/label_visualization@v1', name: 'labels', image: '$steps.boxes.image', predictions: '$inputs.predictions', color_palette: '$inputs.palette', text: 'Class and Confidence', text_scale: 0.5, text_padding: 4 },
        { type: 'roboflow_core/text_display@v1', name: 'caption', image: '$steps.labels.image', text: 'Line 3', font_scale: 0.5, padding: 4 },
      ],
      outputs: [{ type: 'JsonField', name: 'annotated', selector: '$steps.caption.image' }],
    };
    const workflow = createWorkflow(definition, { registry });
    const image = gradientImage(160, 120);
    const { outputs } = await workflow.run({ inputs: { image, predictions } });
    const annotated = outputs[0]!['annotated'] as VadImage;
    expect(VadImage.isImage(annotated)).toBe(true);

    // The same chain called directly gives the same pixels.
    const boxed = await runBlock(boundingBoxVisualization, { image, predictions, color_palette: 'Matplotlib Tab10', thickness: 3, roundness: 0.2 });
    const labelled = await runBlock(labelVisualization, { image: boxed, predictions, color_palette: 'Matplotlib Tab10', text: 'Class and Confidence', text_scale: 0.5, text_padding: 4 });
    const direct = (await labelled.pixels()).data;
    const viaWorkflow = (await annotated.pixels()).data;
    // Only the caption's corner differs.
    let differing = 0;
    for (let i = 0; i < direct.length; i += 3) if (direct[i] !== viaWorkflow[i] || direct[i + 1] !== viaWorkflow[i + 1] || direct[i + 2] !== viaWorkflow[i + 2]) differing++;
    expect(differing).toBeGreaterThan(50);
    expect(differing).toBeLessThan(160 * 40);
  });

  it('rejects an unknown palette when the workflow compiles, naming the step and property', () => {
    const definition: WorkflowDefinition = {
      inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowParameter', name: 'predictions', kind: ['object_detection_prediction'] }],
      steps: [{ type: 'vad/bounding_box_visualization@v1', name: 'boxes', image: '$inputs.image', predictions: '$inputs.predictions', color_palette: 'RAINBOW' }],
      outputs: [{ type: 'JsonField', name: 'out', selector: '$steps.boxes.image' }],
    };
    expect(() => createWorkflow(definition, { registry })).toThrow(expect.objectContaining({ name: 'VAD_WorkflowCompileError', stepName: 'boxes', property: 'color_palette' }));
  });

  it('keeps one heatmap per stream id', async () => {
    const definition: WorkflowDefinition = {
      inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowParameter', name: 'predictions', kind: ['object_detection_prediction'] }],
      steps: [{ type: 'roboflow_core/heatmap_visualization@v1', name: 'heat', image: '$inputs.image', predictions: '$inputs.predictions', radius: 10, kernel_size: 0, opacity: 0.5 }],
      outputs: [{ type: 'JsonField', name: 'out', selector: '$steps.heat.image' }],
    };
    const workflow = createWorkflow(definition, { registry });
    const image = gradientImage(160, 120);
    const at = (x: number) => ({ image: { width: 160, height: 120 }, predictions: [detection([x, 40, x + 30, 80], { class: 'a', class_id: 0, confidence: 1 })] });
    const pixelAt = async (value: unknown, x: number, y: number) => Array.from((await (value as VadImage).pixels()).data.subarray((y * 160 + x) * 3, (y * 160 + x) * 3 + 3));
    await workflow.run({ inputs: { image, predictions: at(10) }, streamId: 'camera-1' });
    const one = await workflow.run({ inputs: { image, predictions: at(110) }, streamId: 'camera-1' });
    const two = await workflow.run({ inputs: { image, predictions: at(110) }, streamId: 'camera-2' });
    const original = Array.from((await image.pixels()).data.subarray((78 * 160 + 25) * 3, (78 * 160 + 25) * 3 + 3));
    expect(await pixelAt(one.outputs[0]!['out'], 25, 78)).not.toEqual(original);
    expect(await pixelAt(two.outputs[0]!['out'], 25, 78)).toEqual(original);
  });

  it('describes every block with its Roboflow alias', () => {
    const described = JSON.stringify(describeBlocks(registry));
    for (const name of ['roboflow_core/bounding_box_visualization@v1', 'roboflow_core/label_visualization@v1', 'roboflow_core/heatmap_visualization@v1', 'roboflow_core/text_display@v1', 'vad/anomaly_map_visualization@v1']) {
      expect(described).toContain(name);
    }
  });
});
