// How often a label inside an object's crop is read exactly: `node bench/ocr-scene-labels.mjs`
// (after build; needs the shared photos, VAD_SHARED). A label (dark on light, then light on dark)
// is pasted at the centre of each box yolox_nano.onnx found on the shared photos (listed below,
// boxes of at least 90×40 px, from the object detection block at its defaults); the box is cropped
// and read by the OCR Model block, as a detector → dynamic_crop → OCR workflow would.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VadImage, loadSharp } from '@vad/core';
import { renderText, sharedRoot } from '@vad/testing';
import { ocrModel } from '../dist/index.js';

/** photo → [class, left, top, width, height] of yolox_nano.onnx's detections. */
const boxes = {
  dog: [['16', 133, 207, 192, 336], ['2', 467, 78, 225, 93], ['1', 46, 132, 526, 299]],
  horses: [['17', 0, 186, 340, 225], ['17', 246, 169, 192, 193], ['17', 439, 211, 158, 136], ['19', 436, 213, 161, 132]],
  person: [['16', 61, 264, 140, 86], ['17', 404, 138, 199, 206]],
  giraffe: [['23', 166, 29, 283, 403], ['22', 249, 202, 175, 239]],
  eagle: [['14', 138, 82, 464, 366]],
};
const texts = ['LOT 42A7', 'SN 0815', 'B 2024-11', 'EXP 0327', 'KX 7731'];
const sharp = await loadSharp();
const context = { stepName: 'ocr', streamId: 'bench', signal: new AbortController().signal, warn() {} };
const instance = await ocrModel.create({ stepName: 'ocr', properties: {}, host: {} });
let exact = 0, found = 0, total = 0;
for (const [photo, list] of Object.entries(boxes)) {
  const file = await readFile(path.join(sharedRoot(), 'datasets/photos', `${photo}.jpg`));
  for (const [index, [name, left, top, width, height]] of list.entries()) {
    const text = texts[index % texts.length];
    for (const [background, color] of [['#f8f8f0', '#111111'], ['#151515', '#f0f0f0']]) {
      const size = Math.max(14, Math.min(28, Math.round(width / 7)));
      const label = await renderText({ width: Math.round(size * 5.2), height: Math.round(size * 1.6), background, texts: [{ text, left: Math.round(size * 0.4), baseline: Math.round(size * 1.15), size, color, weight: 700 }] });
      const at = { left: Math.round(left + width / 2 - label.width / 2), top: Math.max(0, Math.round(top + height / 2 - label.height / 2)) };
      const composed = await sharp(file).composite([{ input: label.png, ...at }]).png().toBuffer();
      const image = await VadImage.fromBytes(composed);
      const crop = await image.crop({ x: left, y: top, width, height });
      const { result } = await instance.run({ images: crop, confidence: 0.6 }, context);
      total++;
      if (result === text) exact++;
      if (result.includes(text)) found++;
      console.log(`${photo.padEnd(8)} class ${name.padStart(2)} ${`${width}×${height}`.padEnd(8)} ${background === '#f8f8f0' ? 'dark on light' : 'light on dark'}  ${JSON.stringify(text).padEnd(12)} → ${JSON.stringify(result)}`);
    }
  }
}
console.log(`read exactly: ${exact} of ${total}; label among other text: ${found - exact} more`);
await instance.dispose();
