import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { coreBlocks, createBlockRegistry, createWorkflow, VadImage, type Detections, type WorkflowDefinition } from '@vad/core';
import { sharedPath } from '@vad/testing';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import fixture from '../src/__fixtures__/photo-objects.json' with { type: 'json' };
import { createObjectDetector, detectionBlocks } from '../src/index.js';
import { bestMatch, type Corners } from './iou.js';

const photos = sharedPath('datasets/photos');
const yolox = sharedPath('models/yolox_nano.onnx');

const tile = { width: 640, height: 480 };
const grid = 4;

/** A 2560×1920 mosaic of dog.jpg and horses.jpg (checkerboard, each stretched to 640×480) and the by-eye boxes moved into it. */
async function mosaic(): Promise<{ bytes: Buffer; objects: Array<{ box: Corners; accept: string[] }> }> {
  const composites: sharp.OverlayOptions[] = [];
  const objects: Array<{ box: Corners; accept: string[] }> = [];
  for (let row = 0; row < grid; row++) {
    for (let column = 0; column < grid; column++) {
      const name = (row + column) % 2 === 0 ? 'dog.jpg' : 'horses.jpg';
      const source = fixture[name];
      const input = await sharp(path.join(photos!, name)).resize(tile.width, tile.height, { fit: 'fill' }).png().toBuffer();
      const left = column * tile.width;
      const top = row * tile.height;
      composites.push({ input, left, top });
      const sx = tile.width / source.width;
      const sy = tile.height / source.height;
      for (const o of source.objects) objects.push({ accept: o.accept, box: [left + o.box[0]! * sx, top + o.box[1]! * sy, left + o.box[2]! * sx, top + o.box[3]! * sy] });
    }
  }
  const bytes = await sharp({ create: { width: tile.width * grid, height: tile.height * grid, channels: 3, background: '#000' } }).composite(composites).png().toBuffer();
  return { bytes, objects };
}

const recall = (predictions: Detections['predictions'], objects: Array<{ box: Corners; accept: string[] }>) =>
  objects.filter((o) => bestMatch(predictions, o.box, o.accept) >= 0.5).length / objects.length;

describe.skipIf(!photos || !yolox)('slicer → detector → stitch workflow', () => {
  it('finds on a 2560×1920 mosaic the objects that the detector misses on the downscaled whole image', async () => {
    const names = (await readFile(path.join(photos!, 'coco.names'), 'utf8')).split('\n').map((s) => s.trim()).filter(Boolean);
    const { bytes, objects } = await mosaic();
    const definition: WorkflowDefinition = {
      version: '1.0',
      inputs: [{ type: 'WorkflowImage', name: 'image' }],
      steps: [
        { type: 'roboflow_core/image_slicer@v2', name: 'slicer', image: '$inputs.image', slice_width: 640, slice_height: 640, overlap_ratio_width: 0.2, overlap_ratio_height: 0.2 },
        { type: 'roboflow_core/roboflow_object_detection_model@v2', name: 'detector', images: '$steps.slicer.slices', model_id: yolox!, class_names: names, confidence: 0.3 },
        { type: 'roboflow_core/detections_stitch@v1', name: 'stitch', reference_image: '$inputs.image', predictions: '$steps.detector.predictions', overlap_filtering_strategy: 'nms', iou_threshold: 0.3 },
      ],
      outputs: [
        { type: 'JsonField', name: 'predictions', selector: '$steps.stitch.predictions' },
        { type: 'JsonField', name: 'slices', selector: '$steps.slicer.slices' },
      ],
    } as WorkflowDefinition;
    const workflow = createWorkflow(definition, { registry: createBlockRegistry([...coreBlocks(), ...detectionBlocks()]) });
    const image = await VadImage.fromBytes(bytes);
    const { outputs } = await workflow.run({ inputs: { image } });
    const stitched = outputs[0]!.predictions as Detections;
    const slices = outputs[0]!.slices as VadImage[];
    await workflow.dispose();

    expect(slices).toHaveLength(20); // x: 0, 512, 1024, 1536, 1920 × y: 0, 512, 1024, 1280
    expect(stitched.image).toEqual({ width: 2560, height: 1920 });
    expect(stitched.predictions.every((p) => p.parent_id === image.id)).toBe(true);

    const detector = await createObjectDetector({ model: yolox!, classNames: names });
    const whole = await detector.detect(image, { confidence: 0.3 });
    await detector.dispose();

    const slicedRecall = recall(stitched.predictions, objects);
    const wholeRecall = recall(whole.predictions, objects);
    console.log(`mosaic of ${objects.length} objects: recall ${slicedRecall.toFixed(2)} sliced (${stitched.predictions.length} detections), ${wholeRecall.toFixed(2)} on the whole image (${whole.predictions.length})`);
    expect(slicedRecall).toBeGreaterThanOrEqual(0.75);
    expect(wholeRecall).toBeLessThan(0.4);
  });
});

describe.skipIf(!yolox)('object detection step errors', () => {
  it('a wrong-length class list fails when the workflow is prepared, naming the step and the property', async () => {
    const definition = {
      version: '1.0',
      inputs: [{ type: 'WorkflowImage', name: 'image' }],
      steps: [{ type: 'vad/object_detection_model@v1', name: 'detector', images: '$inputs.image', model_id: yolox!, class_names: ['a', 'b', 'c'] }],
      outputs: [{ type: 'JsonField', name: 'predictions', selector: '$steps.detector.predictions' }],
    } as WorkflowDefinition;
    const workflow = createWorkflow(definition, { registry: createBlockRegistry([...coreBlocks(), ...detectionBlocks()]) });
    const error = await workflow.prepare().then(() => undefined, (e: unknown) => e as { message: string; stepName?: string; cause?: { property?: string } });
    await workflow.dispose();
    expect(error?.message).toMatch(/class_names has 3 entries, but the model scores 80 classes/);
    expect(error?.stepName).toBe('detector');
    expect(error?.cause?.property).toBe('class_names'); // the engine wraps it in a StepExecutionError
  });
});
