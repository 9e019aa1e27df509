import type { Classification, Detection, Detections } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { readPhoto, runCorpus } from './corpus-workflows.js';

const photos = sharedPath('datasets/photos');
const models = sharedPath('models');

const run = async (file: string, images: string[], parameters: Record<string, unknown> = {}) =>
  runCorpus(`query/${file}`, { image: await Promise.all(images.map(readPhoto)), ...parameters }, models);
const area = (d: Detection) => d.width * d.height;

describe.skipIf(!photos || !models)('Roboflow query-language workflows on real models (corpus query/)', () => {
  it('business logic: class names, a count and an Expression verdict that compares lists by value', async () => {
    const [first] = await run('business-logic.json', ['dog.jpg'], { reference: [] });
    const dogClasses = (first!.predictions as Detections).predictions.map((d) => d.class);
    expect(dogClasses.length).toBeGreaterThan(0);
    const [dog, person] = await run('business-logic.json', ['dog.jpg', 'person.jpg'], { reference: dogClasses });
    expect(dog!.detected_classes).toEqual(dogClasses);
    expect(dog!.number_of_detected_boxes).toBe(dogClasses.length);
    expect(dog!.verdict).toBe('PASS');
    expect(person!.number_of_detected_boxes).toBe((person!.predictions as Detections).predictions.length);
    expect(person!.verdict).toBe('FAIL');
  });

  it('keeps the largest confident object, crops it, and classifies the crop only when it is big enough', async () => {
    for (const minArea of [1, 1e9]) {
      const [record] = await run('largest-object-gated-crop.json', ['dog.jpg'], { threshold: 0.3, min_area: minArea });
      const confident = (record!.all as Detections).predictions.filter((d) => d.confidence >= 0.3);
      expect(confident.length).toBeGreaterThan(0);
      const largest = (record!.largest as Detections).predictions;
      expect(largest).toHaveLength(1);
      expect(area(largest[0]!)).toBeCloseTo(Math.max(...confident.map(area)), 6);
      const [crop] = record!.crops as { width: number; height: number; lineage: { offsetX: number; offsetY: number } }[];
      const [own] = record!.crop_predictions as Detections[];
      const [inImage] = record!.crop_predictions_in_image as Detections[];
      // The crop's own detection is the box moved into the crop; mapped to the parent, it is the box again.
      expect(own!.image).toEqual({ width: crop!.width, height: crop!.height });
      expect(own!.predictions[0]!.x).toBeCloseTo(largest[0]!.x - crop!.lineage.offsetX, 6);
      expect(inImage!.predictions[0]!.x).toBeCloseTo(largest[0]!.x, 6);
      expect(inImage!.predictions[0]!.y).toBeCloseTo(largest[0]!.y, 6);
      const [classification] = record!.classification as (Classification | null)[];
      if (minArea === 1) expect(classification?.prediction_type).toBe('classification');
      else expect(classification).toBeNull(); // the gate stopped the classifier for this crop
    }
  });

  it("Roboflow's detections_filter keeps exactly the detections its statement selects", async () => {
    let [kept, dropped] = [0, 0];
    for (const photo of ['dog.jpg', 'person.jpg', 'horses.jpg']) {
      const [record] = await run('detections-filter-by-class.json', [photo]);
      const all = (record!.all as Detections).predictions;
      const expected = all.filter((d) => ['0', '16'].includes(d.class) && d.confidence >= 0.5);
      expect((record!.filtered as Detections).predictions.map((d) => d.detection_id)).toEqual(expected.map((d) => d.detection_id));
      [kept, dropped] = [kept + expected.length, dropped + all.length - expected.length];
    }
    expect(kept).toBeGreaterThan(0); // the photos exercise both sides of the statement
    expect(dropped).toBeGreaterThan(0);
    const [none] = await run('detections-filter-by-class.json', ['person.jpg'], { classes: [] });
    expect((none!.filtered as Detections).predictions).toEqual([]);
  });
});
