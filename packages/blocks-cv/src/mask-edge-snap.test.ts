import { coreBlocks, createBlockRegistry, createWorkflow, decodeRle, encodeMask, loadSharp, VadImage, type CocoRle, type Detection, type Detections, type WorkflowDefinition } from '@vad/core';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cvBlocks } from './index.js';

const width = 120, height = 100;
/** A bright square x, y ∈ [30, 90) on a dark ground: its true edge. */
function squareImage(): VadImage {
  const data = new Uint8Array(width * height * 3).fill(40);
  for (let y = 30; y < 90; y++) for (let x = 30; x < 90; x++) data.fill(200, (y * width + x) * 3, (y * width + x) * 3 + 3);
  return VadImage.fromPixels({ data: data.subarray(0, width * height * 3), width, height });
}
const rectangle = (x1: number, y1: number, x2: number, y2: number) => {
  const mask = new Uint8Array(width * height);
  for (let y = y1; y < y2; y++) mask.fill(1, y * width + x1, y * width + x2);
  return mask;
};
const iou = (a: Uint8Array, b: Uint8Array) => {
  let both = 0, either = 0;
  for (let i = 0; i < a.length; i++) {
    both += a[i]! & b[i]!;
    either += a[i]! | b[i]!;
  }
  return both / either;
};
const prediction = (mask: Uint8Array, x1: number, y1: number, x2: number, y2: number): Detection => ({
  x: (x1 + x2) / 2, y: (y1 + y2) / 2, width: x2 - x1, height: y2 - y1, confidence: 0.9, class: 'part', class_id: 0, detection_id: 'd1', parent_id: 'image',
  rle_mask: encodeMask({ data: mask, width, height }, width, height),
});

const definition: WorkflowDefinition = {
  version: '1.0',
  inputs: [
    { type: 'WorkflowImage', name: 'image' },
    { type: 'WorkflowInstanceSegmentation', name: 'segmentation' },
  ],
  steps: [{ type: 'roboflow_core/mask_edge_snap@v1', name: 'snap', image: '$inputs.image', segmentation: '$inputs.segmentation', pixel_tolerance: 15, sigma: 1.0, min_contour_area: 50, dilation_iterations: 2, boundary_band_width: 15, adaptive_window_size: 41 }],
  outputs: [{ type: 'JsonField', name: 'result', selector: '$steps.snap.*' }],
};

async function run(segmentation: Detections, image = squareImage()) {
  const workflow = createWorkflow(definition, { registry: createBlockRegistry([...coreBlocks(), ...cvBlocks()]) });
  try {
    const [record] = (await workflow.run({ inputs: { image, segmentation } })).outputs;
    return record!.result as { refined_segmentation: Detections; edges: Detections };
  } finally {
    await workflow.dispose();
  }
}

describe('mask_edge_snap (a WorkflowInstanceSegmentation input)', () => {
  it('moves a mask drawn 8 px inside a square out to the square’s edge', async () => {
    const truth = rectangle(30, 30, 90, 90);
    const given = rectangle(38, 38, 82, 82);
    expect(iou(given, truth)).toBeLessThan(0.6);
    const { refined_segmentation, edges } = await run({ image: { width, height }, predictions: [prediction(given, 38, 38, 82, 82)] });
    expect(refined_segmentation.predictions).toHaveLength(1);
    const refined = decodeRle(refined_segmentation.predictions[0]!.rle_mask as CocoRle);
    // The Sobel ridge of a step between columns 29 and 30 covers both, so the edge is within a pixel of the truth.
    expect(iou(refined, truth)).toBeGreaterThan(0.93);
    expect(refined[60 * width + 32]).toBe(1);
    expect(refined[60 * width + 95]).toBe(0);
    // Box, class and id stay, as Roboflow keeps them.
    expect(refined_segmentation.predictions[0]).toMatchObject({ class: 'part', detection_id: 'd1', width: 44 });
    expect(Array.isArray(refined_segmentation.predictions[0]!.points)).toBe(true);
    // The edges output: one detection over the edge pixels, which lie on the square's border.
    expect(edges.predictions).toHaveLength(1);
    const edgePixels = decodeRle(edges.predictions[0]!.rle_mask as CocoRle);
    let onBorder = 0, total = 0;
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      if (!edgePixels[y * width + x]) continue;
      total++;
      if (Math.min(Math.abs(x - 29.5), Math.abs(x - 89.5), Math.abs(y - 29.5), Math.abs(y - 89.5)) <= 2) onBorder++;
    }
    expect(total).toBeGreaterThan(150);
    expect(onBorder / total).toBeGreaterThan(0.95);
    const sharp = await loadSharp();
    const overlay = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) overlay.set([given[i]! * 255, refined[i]! * 255, edgePixels[i]! * 255], i * 3);
    writeFileSync('/tmp/mask-edge-snap.png', await sharp(Buffer.from(overlay), { raw: { width, height, channels: 3 } }).resize(480).png().toBuffer());
  });

  it('passes empty segmentation through and still reports the edges it found', async () => {
    const { refined_segmentation, edges } = await run({ image: { width, height }, predictions: [] });
    expect(refined_segmentation.predictions).toHaveLength(0);
    expect(edges.predictions.length).toBe(1);
  });

  it('names the input when the segmentation is not predictions', async () => {
    const workflow = createWorkflow(definition, { registry: createBlockRegistry([...coreBlocks(), ...cvBlocks()]) });
    try {
      await expect(workflow.run({ inputs: { image: squareImage(), segmentation: [42] } })).rejects.toThrow(/input "segmentation\[0\]" must be instance segmentation predictions/);
    } finally {
      await workflow.dispose();
    }
  });
});
