import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createWorkflow, VadImage, type Detections, type MultiLabelClassification, type SingleLabelClassification, type WorkflowDefinition } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { createStandardRegistry } from '../src/index.js';
import { readPhoto, runCorpus } from './corpus-workflows.js';

const photos = sharedPath('datasets/photos');
const models = sharedPath('models');

// ImageNet class ids: 151–268 are dog breeds; 21 kite (the bird), 22 bald eagle, 23 vulture.
const dogs = (id: number) => id >= 151 && id <= 268;
const birdsOfPrey = new Set([21, 22, 23]);
const run = async (name: string, photo: string, parameters: Record<string, unknown> = {}) =>
  runCorpus(`classify/${name}.json`, { image: await readPhoto(photo), ...parameters }, models!);

describe('the standard registry answers to Roboflow classification names', () => {
  it('resolves every literal of the single- and multi-label classification blocks', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    for (const name of ['roboflow_core/roboflow_classification_model@v1', 'roboflow_core/roboflow_classification_model@v2', 'roboflow_core/roboflow_classification_model@v3', 'ClassificationModel', 'RoboflowClassificationModel']) {
      expect(registry.get(name)?.type, name).toBe('vad/classification_model@v1');
    }
    for (const name of ['roboflow_core/detections_classes_replacement@v1', 'DetectionsClassesReplacement']) expect(registry.get(name)?.type, name).toBe('vad/detections_classes_replacement@v1');
    for (const name of ['roboflow_core/roboflow_multi_label_classification_model@v1', 'roboflow_core/roboflow_multi_label_classification_model@v2', 'roboflow_core/roboflow_multi_label_classification_model@v3', 'RoboflowMultiLabelClassificationModel', 'MultiLabelClassificationModel']) {
      expect(registry.get(name)?.type, name).toBe('vad/multi_label_classification_model@v1');
    }
  });
});

describe.skipIf(!photos || !models)('Roboflow classification workflows on MobileNetV2 (ImageNet)', () => {
  it('single-label: a softmax over 1000 classes, best first, with a plausible top class', async () => {
    for (const [photo, plausible] of [['dog.jpg', dogs], ['eagle.jpg', (id: number) => birdsOfPrey.has(id)]] as const) {
      const outputs = (await run('single-label-classification', photo))[0]!;
      const prediction = outputs.predictions as SingleLabelClassification;
      expect(prediction.prediction_type).toBe('classification');
      expect(prediction.predictions).toHaveLength(1000);
      const sum = prediction.predictions.reduce((total, p) => total + p.confidence, 0);
      expect(sum).toBeCloseTo(1, 3);
      const [top, second] = prediction.predictions;
      expect(plausible(top!.class_id), `${photo}: top class ${top!.class_id}`).toBe(true);
      expect(top!.confidence).toBeGreaterThanOrEqual(second!.confidence);
      expect(prediction.top).toBe(top!.class);
      expect(prediction.confidence).toBeCloseTo(top!.confidence, 6);
      expect(prediction.image.width).toBeGreaterThan(0);
      expect(typeof outputs.inference_id).toBe('string');
    }
  });

  it('multi-label: an independent score per class and the classes at or above confidence', async () => {
    const prediction = (await run('multi-label-classification', 'eagle.jpg'))[0]!.tags as MultiLabelClassification;
    expect(prediction.prediction_type).toBe('classification');
    expect(Object.keys(prediction.predictions)).toHaveLength(1000);
    for (const name of prediction.predicted_classes) expect(prediction.predictions[name]!.confidence).toBeGreaterThanOrEqual(0.5);
    const above = Object.entries(prediction.predictions).filter(([, s]) => s.confidence >= 0.5).map(([n]) => n);
    expect([...prediction.predicted_classes].sort()).toEqual(above.sort());
    // Sigmoids of MobileNet's logits: the bald eagle (22) is tagged.
    expect(prediction.predicted_classes).toContain('22');
    expect(Object.values(prediction.predictions).every((s) => s.confidence >= 0 && s.confidence <= 1)).toBe(true);
  });

  it("v3's confidence_mode: 'custom' tags at custom_confidence, 'best' falls back to confidence; a single-label answer is the same under any mode", async () => {
    const [strict] = await run('classification-v3-confidence-mode', 'eagle.jpg', { tag_threshold: 0.9 });
    const [loose] = await run('classification-v3-confidence-mode', 'eagle.jpg', { tag_threshold: 0.1 });
    const tagged = (record: Record<string, unknown>, output: string) => (record[output] as MultiLabelClassification).predicted_classes;
    const scores = (strict!.tags_custom as MultiLabelClassification).predictions;
    const atLeast = (threshold: number) => Object.keys(scores).filter((name) => scores[name]!.confidence >= threshold).sort();
    expect([...tagged(strict!, 'tags_custom')].sort()).toEqual(atLeast(0.9));
    expect([...tagged(loose!, 'tags_custom')].sort()).toEqual(atLeast(0.1));
    expect(tagged(loose!, 'tags_custom').length).toBeGreaterThan(tagged(strict!, 'tags_custom').length);
    // 'best' (the v3 default) has no per-class thresholds in an ONNX export: it uses confidence, 0.4.
    expect([...tagged(strict!, 'tags_best')].sort()).toEqual(atLeast(0.4));
    const species = strict!.species as SingleLabelClassification;
    expect(species.predictions).toHaveLength(1000);
    expect(birdsOfPrey.has(species.predictions[0]!.class_id)).toBe(true);
    expect(strict!.model_id).toBe('mobilenetv2-12-int8.onnx');
  });

  it("v3 names the property: single-label lists no 'best' mode, and 'custom' needs a custom_confidence", async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    const definition = (step: Record<string, unknown>): WorkflowDefinition => ({
      version: '1.0',
      inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowParameter', name: 'threshold' }],
      steps: [{ type: 'roboflow_core/roboflow_classification_model@v3', name: 'species', images: '$inputs.image', model_id: 'mobilenetv2-12-int8.onnx', ...step } as never],
      outputs: [{ type: 'JsonField', name: 'species', selector: '$steps.species.predictions' }],
    });
    expect(() => createWorkflow(definition({ confidence_mode: 'best' }), { registry, host: { modelsDir: models! } })).toThrow(/step "species", property "confidence_mode": invalid value "best"/);
    expect(() => createWorkflow(definition({ custom_confidence: 1.5 }), { registry, host: { modelsDir: models! } })).toThrow(/property "custom_confidence"/);
    // A literal null reads as absent (the default 0.4); a selector can still give none.
    const workflow = createWorkflow(definition({ confidence_mode: 'custom', custom_confidence: '$inputs.threshold' }), { registry, host: { modelsDir: models! } });
    try {
      const image = await VadImage.fromBytes(await readFile(path.join(photos!, 'dog.jpg')));
      await expect(workflow.run({ inputs: { image, threshold: null } })).rejects.toThrow(/custom_confidence is required when confidence_mode is 'custom'/);
    } finally {
      await workflow.dispose();
    }
  });

  it('classifies each slice of an image (a dimensionality level) with one prediction per slice', async () => {
    const outputs = (await run('sliced-classification', 'dog.jpg'))[0]!;
    const slices = outputs.slice_classes as SingleLabelClassification[];
    expect(Array.isArray(slices)).toBe(true);
    expect(slices.length).toBeGreaterThan(1);
    for (const slice of slices) {
      expect(slice.predictions.reduce((t, p) => t + p.confidence, 0)).toBeCloseTo(1, 3);
      expect(slice.image.width).toBeLessThanOrEqual(320);
    }
  });

  it('detections_classes_replacement collapses a level of classifications onto the detections; slices are no detection crops, so none match and every detection is dropped (Roboflow drops unmatched detections)', async () => {
    const outputs = (await run('classes-replacement-over-slices', 'dog.jpg'))[0]!;
    const original = outputs.original_predictions as Detections;
    expect(original.predictions.length).toBeGreaterThan(0);
    const replaced = outputs.predictions as Detections;
    expect(replaced.image).toEqual(original.image);
    expect(replaced.predictions).toEqual([]);
  });
});

