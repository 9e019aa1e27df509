import { VadImage, type Detections } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { keepImage, photosDir, readPhoto, runCorpus } from './corpus-workflows.js';

/**
 * template_matching, auto_rotate_on_edges and camera-calibration definitions (corpus classical-cv/)
 * on real photos, with the assertions of Roboflow's integration tests
 * (test_workflow_with_classical_pattern_matching: one match of a crop in its own photo, none in
 * another, class 0 "template_match", confidence 1; the same image as image and template: one
 * match) plus known answers. VAD_WRITE_IMAGES=<folder> writes the pictures, to look at them.
 */
const photos = photosDir;
const run = (file: string, inputs: Record<string, unknown>) => runCorpus(`classical-cv/${file}`, inputs);
const photo = readPhoto;
const keep = (name: string, image: VadImage) => keepImage(image, name);

describe.skipIf(!photos)('Roboflow classical-CV geometry workflows on real photos (corpus classical-cv/)', () => {
  it('template_matching: a crop of dog.jpg is found once in dog.jpg, not in person.jpg; boxes drawn', async () => {
    const dog = await photo('dog.jpg');
    const head = await dog.crop({ x: 310, y: 220, width: 100, height: 60 });
    const [inCrowd, inDog] = await run('template-matching.json', { image: [await photo('person.jpg'), dog], template: head });
    expect((inCrowd!.predictions as Detections).predictions).toHaveLength(0);
    expect(inCrowd!.number_of_matches).toBe(0);
    const found = inDog!.predictions as Detections;
    expect(inDog!.number_of_matches).toBe(1);
    const [match] = found.predictions;
    expect(match).toMatchObject({ width: 100, height: 60, class: 'template_match', class_id: 0, confidence: 1, parent_id: dog.id });
    expect(Math.hypot(match!.x - 50 - 310, match!.y - 30 - 220)).toBeLessThan(10);
    const drawn = inDog!.visualization as VadImage;
    await keep('template-matching', drawn);
    // The box's outline is painted over the photo at the match.
    const [before, after] = [await dog.pixels(), await drawn.pixels()];
    const at = (Math.round(match!.y) * dog.width + Math.round(match!.x - 50)) * 3;
    expect(Array.from(after.data.subarray(at, at + 3))).not.toEqual(Array.from(before.data.subarray(at, at + 3)));
  });

  it('template_matching: the image as its own template matches once, the whole image', async () => {
    const images = [await photo('person.jpg'), await photo('dog.jpg')];
    const records = await run('template-matching-self.json', { image: images });
    records.forEach((record, i) => {
      const { predictions } = record!.predictions as Detections;
      expect(predictions).toHaveLength(1);
      expect(predictions[0]).toMatchObject({ x: images[i]!.width / 2, y: images[i]!.height / 2, width: images[i]!.width, height: images[i]!.height });
    });
  });

  it('auto_rotate_on_edges: a photo tilted 6° is turned back by −6°, on an expanded canvas', async () => {
    const [record] = await run('auto-rotate.json', { image: await photo('giraffe.jpg') });
    const tilted = record!.tilted as VadImage;
    const angle = record!.angle as number;
    expect(Math.abs(angle + 6)).toBeLessThan(1);
    const rotated = record!.rotated_image as VadImage;
    const radians = (angle * Math.PI) / 180;
    expect(rotated.width).toBe(Math.trunc(tilted.height * Math.abs(Math.sin(radians)) + tilted.width * Math.abs(Math.cos(radians))));
    expect(rotated.height).toBe(Math.trunc(tilted.height * Math.abs(Math.cos(radians)) + tilted.width * Math.abs(Math.sin(radians))));
    await keep('auto-rotate-tilted', tilted);
    await keep('auto-rotate-deskewed', rotated);
  });

  it('camera-calibration: no distortion gives the photo back; barrel distortion is undone within the frame', async () => {
    const dog = await photo('dog.jpg');
    const [identity] = await run('camera-calibration.json', { images: dog });
    const same = identity!.camera_calibration_image as VadImage;
    expect(Buffer.from((await same.pixels()).data).equals(Buffer.from((await dog.pixels()).data))).toBe(true);
    const [barrel] = await run('camera-calibration.json', { images: dog, k1: -0.3, k2: 0.08 });
    const undistorted = barrel!.camera_calibration_image as VadImage;
    await keep('camera-calibration', undistorted);
    expect([undistorted.width, undistorted.height]).toEqual([dog.width, dog.height]);
    const { data } = await undistorted.pixels();
    const level = (x: number, y: number) => data[(y * dog.width + x) * 3]! + data[(y * dog.width + x) * 3 + 1]! + data[(y * dog.width + x) * 3 + 2]!;
    // Alpha 1 keeps every source pixel: undoing barrel distortion pulls the edge midpoints in, leaving black there, while the corners stay filled.
    expect(level(dog.width / 2, 0)).toBe(0);
    expect(level(0, dog.height / 2)).toBe(0);
    expect(level(2, 2)).toBeGreaterThan(0);
    expect(level(dog.width / 2, dog.height / 2)).toBeGreaterThan(0);
  });
});
