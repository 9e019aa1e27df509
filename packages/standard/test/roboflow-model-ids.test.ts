import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createWorkflow, VadImage, type Detections, type WorkflowDefinition } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStandardRegistry } from '../src/index.js';

const photos = sharedPath('datasets/photos');
const models = sharedPath('models');

/** A definition as Roboflow users write it: a Roboflow model id, not a file. */
const definition: WorkflowDefinition = {
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }],
  steps: [{ type: 'ObjectDetectionModel', name: 'detection', image: '$inputs.image', model_id: 'yolov8n-640' }],
  outputs: [{ type: 'JsonField', name: 'predictions', selector: '$steps.detection.predictions' }],
};

let modelsDir: string;
beforeAll(async () => {
  modelsDir = await mkdtemp(path.join(os.tmpdir(), 'vad-model-ids-'));
});
afterAll(() => rm(modelsDir, { recursive: true, force: true }));

async function detect(image: VadImage): Promise<Detections> {
  const { registry } = await createStandardRegistry({ plugins: [] });
  const workflow = createWorkflow(definition, { registry, host: { modelsDir } });
  try {
    return (await workflow.run({ inputs: { image } })).outputs[0]!.predictions as Detections;
  } finally {
    await workflow.dispose();
  }
}

describe.skipIf(!photos || !models)("Roboflow model ids mapped to ONNX files by the models folder's models.json", () => {
  it('runs the definition unchanged once models.json names the export, with the same detections as the file itself', async () => {
    const image = await VadImage.fromBytes(await readFile(path.join(photos!, 'dog.jpg')));
    await expect(detect(image)).rejects.toThrow(/step "detection".*"yolov8n-640" not found/);
    await writeFile(path.join(modelsDir, 'models.json'), JSON.stringify({ 'yolov8n-640': path.join(models!, 'yolox_nano.onnx') }));
    const mapped = await detect(image);
    const { registry } = await createStandardRegistry({ plugins: [] });
    const direct = createWorkflow({ ...definition, steps: [{ ...definition.steps[0]!, model_id: 'yolox_nano.onnx' }] }, { registry, host: { modelsDir: models! } });
    const expected = (await direct.run({ inputs: { image } })).outputs[0]!.predictions as Detections;
    await direct.dispose();
    expect(mapped.predictions.length).toBeGreaterThan(0);
    expect(mapped.predictions.map((d) => [d.class, d.x])).toEqual(expected.predictions.map((d) => [d.class, d.x]));
  });

  it('names models.json when it is broken or maps to a missing file', async () => {
    const image = await VadImage.fromBytes(await readFile(path.join(photos!, 'dog.jpg')));
    await writeFile(path.join(modelsDir, 'models.json'), '{"yolov8n-640": ');
    await expect(detect(image)).rejects.toThrow(/models\.json is not valid JSON/);
    await writeFile(path.join(modelsDir, 'models.json'), JSON.stringify({ 'yolov8n-640': 'gone.onnx' }));
    await expect(detect(image)).rejects.toThrow(/"yolov8n-640" maps to .*gone\.onnx in models\.json, which does not exist/);
  });
});
