import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadSharp, VadImage } from '@vad/core';
import { renderText, sharedPath, type DrawnWord } from '@vad/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { dataFolder, languageFolder, languagePackageRoot } from './language-data.js';
import { createTesseractReader, type OcrWord } from './tesseract-reader.js';

const folder = await languageFolder(['eng'], { stepName: 'test' });
const photos = sharedPath('datasets/photos');
const reader = createTesseractReader({ languages: ['eng'], languageFolder: folder });
afterAll(() => reader.dispose());

/** A 640×160 label: one line of text centred vertically. */
async function label(text: string, background: string, color: string, size = 72) {
  const drawn = await renderText({ width: 640, height: 160, background, texts: [{ text, left: 40, baseline: 80 + size * 0.36, size, color }] });
  return { image: await VadImage.fromBytes(drawn.png), words: drawn.words };
}

/** Each word read lies on the word drawn, within `tolerance` pixels on every side. */
function expectBoxesOver(read: OcrWord[], drawn: DrawnWord[], tolerance: number) {
  expect(read.map((word) => word.text)).toEqual(drawn.map((word) => word.text));
  read.forEach((word, index) => {
    const expected = drawn[index]!;
    for (const side of ['left', 'top', 'right', 'bottom'] as const) expect(Math.abs(word[side] - expected[side]), `${word.text} ${side}`).toBeLessThanOrEqual(tolerance);
  });
}

describe('Tesseract reader (tesseract.js, English data from @tesseract.js-data/eng)', () => {
  it('reads its language data from the installed npm package, not a download', () => {
    const root = languagePackageRoot('eng');
    expect(root).toBeDefined();
    expect(folder).toBe(path.join(root!, dataFolder));
    expect(existsSync(path.join(folder, 'eng.traineddata.gz'))).toBe(true);
  });

  it('reads a lot code, dark on light, word by word with boxes over the drawn words', async () => {
    const { image, words } = await label('LOT 42A7', '#f4f1e8', '#202020');
    const read = await reader.read(image);
    expectBoxesOver(read, words, 3);
    for (const word of read) expect(word.confidence).toBeGreaterThan(0.8);
    expect(new Set(read.map((word) => word.line)).size).toBe(1);
  });

  it('reads a serial number, light on dark', async () => {
    const { image, words } = await label('SN 0815-3321-X', '#1a1a1a', '#f0f0f0', 56);
    expectBoxesOver(await reader.read(image), words, 3);
  });

  it('reads two lines in reading order, each word on its own line index', async () => {
    const drawn = await renderText({
      width: 480,
      height: 200,
      background: '#ffffff',
      texts: [
        { text: 'BATCH 2024-11', left: 30, baseline: 70, size: 48, color: '#000000' },
        { text: 'EXP 03/27', left: 30, baseline: 150, size: 48, color: '#000000' },
      ],
    });
    const read = await reader.read(await VadImage.fromBytes(drawn.png));
    expectBoxesOver(read, drawn.words, 3);
    expect(read.map((word) => word.line)).toEqual([0, 0, 1, 1]);
  });

  it('reads a small tight crop of one line (enlarged before reading), boxes in the crop’s own pixels', async () => {
    // 18 px Roboto: capitals about 13 px tall, the line 16 px high with 1 px of margin.
    const drawn = await renderText({ width: 92, height: 16, background: '#f4f1e8', texts: [{ text: 'LOT 42A7', left: 1, baseline: 14, size: 18, color: '#202020' }] });
    const read = await reader.read(await VadImage.fromBytes(drawn.png));
    expectBoxesOver(read, drawn.words, 2);
  });

  it('reads images given at once one after the other, each getting its own words', async () => {
    const texts = ['LOT 42A7', 'SN 0815', 'EXP 03/27'];
    const images = await Promise.all(texts.map((text) => label(text, '#ffffff', '#000000')));
    const results = await Promise.all(images.map(({ image }) => reader.read(image)));
    expect(results.map((words) => words.map((word) => word.text).join(' '))).toEqual(texts);
  });

  it.skipIf(!photos)('reads a tag inside the crop of a dog on a real photo (the sparse-text second pass), where automatic layout finds nothing', async () => {
    // dog.jpg, the dog's box as yolox_nano finds it (133, 207, 192×336), a tag pasted at its centre.
    const size = 27;
    const tag = await renderText({ width: 140, height: 43, background: '#f8f8f0', texts: [{ text: 'LOT 42A7', left: 11, baseline: 31, size, color: '#111111', weight: 700 }] });
    const at = { left: 229 - 70, top: 375 - 22 };
    const sharp = await loadSharp();
    const photo = await sharp(await readFile(path.join(photos!, 'dog.jpg'))).composite([{ input: tag.png, ...at }]).png().toBuffer();
    const crop = await (await VadImage.fromBytes(photo)).crop({ x: 133, y: 207, width: 192, height: 336 });
    const read = await reader.read(crop, { confidence: 0.6 });
    expect(read.map((word) => word.text)).toEqual(['LOT', '42A7']);
    // In the crop's pixels: the pasted words, moved by the paste and the crop's offset.
    read.forEach((word, index) => {
      const drawn = tag.words[index]!;
      expect(Math.abs(word.left - (drawn.left + at.left - 133))).toBeLessThanOrEqual(3);
      expect(Math.abs(word.top - (drawn.top + at.top - 207))).toBeLessThanOrEqual(3);
      expect(word.confidence).toBeGreaterThanOrEqual(0.8);
    });
  });

  it('finds no words on a blank image', async () => {
    const blank = VadImage.fromPixels({ data: new Uint8Array(200 * 100 * 3).fill(230), width: 200, height: 100 });
    expect(await reader.read(blank)).toEqual([]);
  });

  it('writes no language cache into the working directory', () => {
    expect(existsSync(path.join(process.cwd(), 'eng.traineddata'))).toBe(false);
  });

  it('refuses to read once disposed, and a reader that never read disposes at once', async () => {
    const other = createTesseractReader({ languages: ['eng'], languageFolder: folder });
    await other.dispose();
    const { image } = await label('LOT 42A7', '#ffffff', '#000000');
    await expect(other.read(image)).rejects.toThrow(/disposed/);
  });

  it('stops before reading when the run was cancelled', async () => {
    const { image } = await label('LOT 42A7', '#ffffff', '#000000');
    const controller = new AbortController();
    controller.abort();
    await expect(reader.read(image, { signal: controller.signal })).rejects.toThrow(/cancelled/);
  });
});
