import { readFileSync } from 'node:fs';
import { VadImage } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { matchTemplate, templateMatches } from './match-template.js';

/** A random grey image (three equal bands) from a fixed seed, as levels and as an image. */
function noise(width: number, height: number, seed: number) {
  let state = seed;
  const levels = Uint8Array.from({ length: width * height }, () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 16) & 255);
  return { levels, width, height };
}
const asImage = ({ levels, width, height }: { levels: Uint8Array; width: number; height: number }) => {
  const data = new Uint8Array(width * height * 3);
  levels.forEach((v, i) => data.fill(v, i * 3, i * 3 + 3));
  return VadImage.fromPixels({ data, width, height });
};
/** The w × h block of `source` at (x, y). */
function cut(source: { levels: Uint8Array; width: number }, x: number, y: number, w: number, h: number) {
  const levels = new Uint8Array(w * h);
  for (let r = 0; r < h; r++) levels.set(source.levels.subarray((y + r) * source.width + x, (y + r) * source.width + x + w), r * w);
  return { levels, width: w, height: h };
}
function paste(target: { levels: Uint8Array; width: number }, patch: { levels: Uint8Array; width: number; height: number }, x: number, y: number) {
  for (let r = 0; r < patch.height; r++) target.levels.set(patch.levels.subarray(r * patch.width, (r + 1) * patch.width), (y + r) * target.width + x);
}

/** TM_CCOEFF_NORMED straight from its definition, in float64. */
function referenceScore(image: { levels: Uint8Array; width: number }, template: { levels: Uint8Array; width: number; height: number }, x: number, y: number): number {
  const n = template.width * template.height;
  let templateMean = 0, windowMean = 0;
  for (let r = 0; r < template.height; r++) {
    for (let c = 0; c < template.width; c++) {
      templateMean += template.levels[r * template.width + c]! / n;
      windowMean += image.levels[(y + r) * image.width + x + c]! / n;
    }
  }
  let cross = 0, templateEnergy = 0, windowEnergy = 0;
  for (let r = 0; r < template.height; r++) {
    for (let c = 0; c < template.width; c++) {
      const t = template.levels[r * template.width + c]! - templateMean;
      const i = image.levels[(y + r) * image.width + x + c]! - windowMean;
      cross += t * i;
      templateEnergy += t * t;
      windowEnergy += i * i;
    }
  }
  return cross / Math.sqrt(templateEnergy * windowEnergy);
}

describe('matchTemplate (TM_CCOEFF_NORMED)', () => {
  it('scores every position as the definition does', async () => {
    const image = noise(23, 17, 3);
    const template = noise(6, 5, 9);
    const { scores, width, height } = await matchTemplate(asImage(image), asImage(template), 2);
    expect([width, height]).toEqual([18, 13]);
    let worst = 0;
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) worst = Math.max(worst, Math.abs(scores[y * width + x]! - referenceScore(image, template, x, y)));
    expect(worst).toBeLessThan(1e-4);
  });

  it('finds a template pasted at known places with score 1 and nothing else above 0.8', async () => {
    const image = noise(120, 90, 5);
    const template = noise(15, 11, 77);
    const places = [{ x: 4, y: 7 }, { x: 80, y: 60 }, { x: 50, y: 20 }];
    for (const { x, y } of places) paste(image, template, x, y);
    const { scores, width, matches } = await matchTemplate(asImage(image), asImage(template), 0.8);
    expect(matches).toEqual([...places].sort((a, b) => a.y - b.y || a.x - b.x));
    for (const { x, y } of places) expect(scores[y * width + x]).toBeCloseTo(1, 5);
    const detections = await templateMatches(asImage(image), asImage(template), { matchingThreshold: 0.8, applyNms: true, nmsThreshold: 0.5 });
    expect(detections.predictions.map((p) => [p.x - p.width / 2, p.y - p.height / 2, p.width, p.height, p.class, p.class_id, p.confidence])).toEqual(
      [...places].sort((a, b) => a.y - b.y || a.x - b.x).map(({ x, y }) => [x, y, 15, 11, 'template_match', 0, 1]),
    );
  });

  it('scores a flat window 0 and a flat template 1 (OpenCV’s guards)', async () => {
    const image = noise(30, 20, 1);
    image.levels.fill(90, 0, 30 * 8); // rows 0–7 flat
    const { scores, width } = await matchTemplate(asImage(image), asImage(noise(5, 5, 2)), 0.8);
    expect(scores[0]).toBe(0);
    expect(scores[2 * width + 10]).toBe(0);
    const flat = await matchTemplate(asImage(image), asImage({ levels: new Uint8Array(16).fill(40), width: 4, height: 4 }), 0.8);
    expect(Array.from(flat.scores).every((s) => s === 1)).toBe(true);
  });

  it('keeps the last box of a cluster of tied matches, as supervision’s NMS does', async () => {
    // A smooth ramp image: the matches of a cut-out spread over neighbouring positions.
    const width = 60, height = 40;
    const ramp = { levels: Uint8Array.from({ length: width * height }, (_, i) => Math.round(((i % width) * 3 + Math.floor(i / width) * 2) % 256)), width, height };
    const template = cut(ramp, 20, 10, 12, 12);
    const { matches } = await matchTemplate(asImage(ramp), asImage(template), 0.8);
    expect(matches.length).toBeGreaterThan(1);
    const kept = await templateMatches(asImage(ramp), asImage(template), { matchingThreshold: 0.8, applyNms: true, nmsThreshold: 0.5 });
    const last = matches[matches.length - 1]!;
    expect(kept.predictions[kept.predictions.length - 1]).toMatchObject({ x: last.x + 6, y: last.y + 6 });
    const all = await templateMatches(asImage(ramp), asImage(template), { matchingThreshold: 0.8, applyNms: false, nmsThreshold: 0.5 });
    expect(all.predictions).toHaveLength(matches.length);
  });

  it('names the template when it is larger than the image', async () => {
    await expect(matchTemplate(asImage(noise(8, 8, 1)), asImage(noise(9, 4, 1)), 0.8, { stepName: 'matcher' })).rejects.toThrow(/template.*larger/);
  });

  it('finds a crop of dog.jpg back in dog.jpg, once, and not in person.jpg', async () => {
    const dogPath = sharedPath('datasets/photos/dog.jpg');
    const personPath = sharedPath('datasets/photos/person.jpg');
    if (!dogPath || !personPath) return;
    const dog = await VadImage.fromBytes(readFileSync(dogPath));
    const head = await dog.crop({ x: 310, y: 220, width: 100, height: 60 });
    const found = await templateMatches(dog, head, { matchingThreshold: 0.8, applyNms: true, nmsThreshold: 0.5 });
    expect(found.predictions).toHaveLength(1);
    const [match] = found.predictions;
    const { scores, width, matches } = await matchTemplate(dog, head, 0.8);
    expect(scores[220 * width + 310]).toBeCloseTo(1, 4);
    // The fur is smooth: positions a few pixels off score over 0.8 too; NMS keeps the cluster's last.
    expect(matches.length).toBeGreaterThan(10);
    const last = matches[matches.length - 1]!;
    expect([match!.x - 50, match!.y - 30]).toEqual([last.x, last.y]);
    expect(Math.hypot(last.x - 310, last.y - 220)).toBeLessThan(10);
    expect(match!.parent_id).toBe(dog.id);
    const person = await VadImage.fromBytes(readFileSync(personPath));
    expect((await templateMatches(person, head, { matchingThreshold: 0.8, applyNms: true, nmsThreshold: 0.5 })).predictions).toHaveLength(0);
  });
});
