import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadSharp, VadImage, type Detection, type Detections } from '@vad/core';
import { renderText, sharedPath, type RenderedText } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { keepImage, photosDir, runCorpus } from './corpus-workflows.js';

const modelsFile = sharedPath('models/yolox_nano.onnx');
const models = modelsFile && path.dirname(modelsFile);

/** A label of `text` sized for a box `width` px wide (as bench/ocr-scene-labels.mjs of @vad/blocks-ocr draws them). */
function label(text: string, width: number, background: string, color: string): Promise<RenderedText> {
  const size = Math.max(14, Math.min(28, Math.round(width / 7)));
  return renderText({ width: Math.round(size * 5.2), height: Math.round(size * 1.6), background, texts: [{ text, left: Math.round(size * 0.4), baseline: Math.round(size * 1.15), size, color, weight: 700 }] });
}

describe.skipIf(!photosDir || !models)('Roboflow detection + OCR workflow on a real photo (corpus ocr/detect-crop-ocr.json)', () => {
  it('detects the car and the dog, crops each (with an offset), reads the label on each, collapses the texts and counts them', async () => {
    // dog.jpg with a tag low on the dog (yolox_nano finds it at 133, 207, 192×336) and a plate on
    // the car (467, 78, 225×93). Tesseract is a document reader: in the crop of an object it finds
    // a label in about half the placements (bench/ocr-scene-labels.mjs of @vad/blocks-ocr: 11 of 24
    // exactly), and a few pixels more or less of the detector's box change what it reads. This
    // placement is one it reads; the test guards the workflow: a text per crop, the words mapped
    // back onto the photo, the lineage, the collapse and the verdict.
    const tag = await label('LOT 42A7', 120, '#f8f8f0', '#111111');
    const plate = await label('SN 0815', 225, '#f8f8f0', '#111111');
    const tagAt = { left: Math.round(229 - tag.width / 2), top: 450 };
    const plateAt = { left: Math.round(599 - plate.width / 2), top: 100 };
    const sharp = await loadSharp();
    const photo = await readFile(path.join(photosDir!, 'dog.jpg'));
    const image = await VadImage.fromBytes(await sharp(photo).composite([{ input: tag.png, ...tagAt }, { input: plate.png, ...plateAt }]).png().toBuffer());
    await keepImage(image, 'ocr-dog-labels');

    const [out] = await runCorpus('ocr/detect-crop-ocr.json', { image }, models);
    const objects = (out!.objects as Detections).predictions;
    expect(objects.map((p) => p.class).sort()).toEqual(['16', '2']);
    const expected: Record<string, { text: string; drawn: RenderedText; at: { left: number; top: number } }> = {
      '16': { text: 'LOT 42A7', drawn: tag, at: tagAt },
      '2': { text: 'SN 0815', drawn: plate, at: plateAt },
    };
    // One text per crop, in the order of the detections.
    expect(out!.labels_ocr).toEqual(objects.map((p) => expected[p.class]!.text));
    expect(out!.concatenated_ocr).toEqual(out!.labels_ocr);
    expect(out!.verdict).toBe('PASS');
    // Each crop's words are detections whose class is the word, mapped back onto the photo: over
    // the words where they were pasted, within 3 px.
    const words = out!.words as Detections[];
    words.forEach((crop, index) => {
      const { drawn, at } = expected[objects[index]!.class]!;
      expect(crop.image).toEqual({ width: image.width, height: image.height });
      expect(crop.predictions.map((p) => p.class)).toEqual(drawn.words.map((w) => w.text));
      crop.predictions.forEach((p: Detection, w) => {
        const word = drawn.words[w]!;
        expect(Math.abs(p.x - (at.left + (word.left + word.right) / 2))).toBeLessThanOrEqual(3);
        expect(Math.abs(p.y - (at.top + (word.top + word.bottom) / 2))).toBeLessThanOrEqual(3);
        expect(Math.abs(p.width - (word.right - word.left))).toBeLessThanOrEqual(4);
      });
    });
    // parent_id is the crop's (its detection's id), root_parent_id the photo's.
    expect((out!.parents as string[]).every((id) => typeof id === 'string' && id !== image.id)).toBe(true);
    expect(new Set(out!.parents as string[]).size).toBe(2);
    expect(out!.roots).toEqual([image.id, image.id]);
    // Two crops, two texts; asked for three, the verdict fails.
    expect((await runCorpus('ocr/detect-crop-ocr.json', { image, reference: 3 }, models))[0]!.verdict).toBe('FAIL');
  });
});

describe('Roboflow EasyOCR + stitch_ocr_detections workflow (corpus ocr/easy-ocr-stitch.json)', () => {
  it('reads three lines into boxes and stitches them line by line, ignoring the character_set Roboflow steps may carry', async () => {
    const drawn = await renderText({
      width: 520,
      height: 300,
      background: '#ffffff',
      texts: [
        { text: 'MAKE', left: 40, baseline: 80, size: 56, color: '#000000', weight: 700 },
        { text: 'THIS DAY', left: 40, baseline: 170, size: 56, color: '#000000', weight: 700 },
        { text: 'GREAT!', left: 40, baseline: 260, size: 56, color: '#000000', weight: 700 },
      ],
    });
    const image = await VadImage.fromBytes(drawn.png);
    const [out] = await runCorpus('ocr/easy-ocr-stitch.json', { image, tolerance: 20 });
    expect(out!.ocr_text).toBe('MAKE\nTHIS DAY\nGREAT!');
    const easy = out!.easy_ocr as { result: string; predictions: Detections; prediction_type: string; parent_id: string };
    expect(easy.result).toBe('MAKE THIS DAY GREAT!');
    expect(easy.predictions.predictions.map((p) => p.class)).toEqual(['MAKE', 'THIS DAY', 'GREAT!']);
    expect(easy.prediction_type).toBe('ocr');
    expect(easy.parent_id).toBe(image.id);
  });
});
