import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createImageClassifier } from '@vad/blocks-detection';
import { createWorkflow, VadImage, type Detections, type SingleLabelClassification, type WorkflowDefinition } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { createStandardRegistry } from '../src/index.js';
import { photosDir, readCorpus } from './corpus-workflows.js';

const photos = photosDir;
const models = sharedPath('models');

// ImageNet class ids 151–268 are dog breeds; the yolox_nano export has no class names, so COCO's dog is "16".
const isDogBreed = (id: number) => id >= 151 && id <= 268;

/** The same detector, with the compacted block's defaults, and dynamic crop: the three steps it compacts. */
const separateSteps: WorkflowDefinition = {
  version: '1.0',
  inputs: [{ type: 'WorkflowImage', name: 'image' }],
  steps: [
    { type: 'ObjectDetectionModel', name: 'detector', image: '$inputs.image', model_id: 'yolox_nano.onnx', class_filter: ['16'], confidence: 0.4, iou_threshold: 0.3, max_detections: 30 },
    { type: 'Crop', name: 'crops', image: '$inputs.image', predictions: '$steps.detector.predictions' },
  ],
  outputs: [
    { type: 'JsonField', name: 'detections', selector: '$steps.detector.predictions' },
    { type: 'JsonField', name: 'crops', selector: '$steps.crops.crops' },
  ],
};

describe('roboflow_core/detection_and_classification@v1 names', () => {
  it('answers to its Roboflow type', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    expect(registry.get('roboflow_core/detection_and_classification@v1')?.type).toBe('vad/detection_and_classification@v1');
  });

  it('a model file that is not there is an error at its own property', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    const step = { type: 'roboflow_core/detection_and_classification@v1', name: 'breeds', image: '$inputs.image', detector_model_id: 'no-such-detector.onnx', classifier_model_id: 'no-such-classifier.onnx' };
    const workflow = createWorkflow({ version: '1.0', inputs: [{ type: 'WorkflowImage', name: 'image' }], steps: [step], outputs: [{ type: 'JsonField', name: 'p', selector: '$steps.breeds.predictions' }] }, { registry });
    const error = await workflow.prepare().then(() => undefined, (failure: unknown) => failure);
    expect(error).toMatchObject({ stepName: 'breeds', message: expect.stringMatching(/detector "no-such-detector.onnx" not found/) });
    expect((error as Error).cause).toMatchObject({ name: 'VAD_ModelLoadError', stepName: 'breeds', property: 'detector_model_id' });
    await workflow.dispose();
  });
});

describe.skipIf(!photos || !models)('detection_and_classification on yolox_nano + MobileNetV2 (corpus classify/detection-and-classification.json)', () => {
  it('one classification and one crop per kept dog, each the classifier run on that crop; none for a photo without dogs', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    const host = { modelsDir: models! };
    const compacted = createWorkflow(await readCorpus('classify/detection-and-classification.json'), { registry, host });
    const separate = createWorkflow(separateSteps, { registry, host });
    const classifier = await createImageClassifier({ model: path.join(models!, 'mobilenetv2-12-int8.onnx') });
    try {
      const images = await Promise.all(['dog.jpg', 'person.jpg', 'eagle.jpg'].map(async (name) => VadImage.fromBytes(await readFile(path.join(photos!, name)))));
      const [dog, person, eagle] = (await compacted.run({ inputs: { image: images } })).outputs;
      for (const [which, record] of [dog!, person!].entries()) {
      const [reference] = (await separate.run({ inputs: { image: images[which] } })).outputs;
      const detections = reference!.detections as Detections;
      const referenceCrops = reference!.crops as VadImage[];
      expect(detections.predictions.length).toBeGreaterThan(0);
      expect(detections.predictions.every((d) => d.class === '16')).toBe(true);

      const predictions = record.predictions as SingleLabelClassification[];
      const crops = record.crops as VadImage[];
      expect(predictions).toHaveLength(detections.predictions.length);
      expect(crops).toHaveLength(detections.predictions.length);
      for (const [index, prediction] of predictions.entries()) {
        const crop = crops[index]!;
        // The crop is the detection's box, as dynamic_crop cuts it.
        expect([crop.width, crop.height, crop.lineage?.offsetX, crop.lineage?.offsetY]).toEqual([
          referenceCrops[index]!.width, referenceCrops[index]!.height, referenceCrops[index]!.lineage?.offsetX, referenceCrops[index]!.lineage?.offsetY,
        ]);
        expect(crop.lineage?.parentId).toBe(images[which]!.id);
        // Roboflow's classification shape: every class best first, the top class and its confidence.
        expect(prediction.prediction_type).toBe('classification');
        expect(prediction.predictions).toHaveLength(1000);
        expect(prediction.predictions.reduce((sum, p) => sum + p.confidence, 0)).toBeCloseTo(1, 3);
        expect(prediction.top).toBe(prediction.predictions[0]!.class);
        expect(prediction.confidence).toBeCloseTo(prediction.predictions[0]!.confidence, 9);
        expect(prediction.image).toEqual({ width: crop.width, height: crop.height });
        // The same answer as the classifier on the crop by itself.
        const direct = await classifier.classify(referenceCrops[index]!);
        expect(prediction.top).toBe(direct.top);
        expect(prediction.confidence).toBeCloseTo(direct.confidence, 6);
        expect(prediction.predictions.slice(0, 5).map((p) => p.class_id)).toEqual(direct.predictions.slice(0, 5).map((p) => p.class_id));
      }
      expect(isDogBreed(predictions[0]!.predictions[0]!.class_id), `top class ${predictions[0]!.top}`).toBe(true);
      expect(record.breeds).toEqual(predictions.map((p) => p.top));
      }

      expect(eagle!.predictions).toEqual([]);
      expect(eagle!.crops).toEqual([]);
    } finally {
      await Promise.all([compacted.dispose(), separate.dispose(), classifier.dispose()]);
    }
  });
});
