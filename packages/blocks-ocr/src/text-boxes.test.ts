import { describe, expect, it } from 'vitest';
import { mergeIntoTextBoxes } from './text-boxes.js';
import type { OcrWord } from './tesseract-reader.js';

const word = (text: string, left: number, right: number, line: number, confidence = 0.9, top = 10, bottom = 30): OcrWord => ({ text, confidence, left, top, right, bottom, line });

describe('mergeIntoTextBoxes (EasyOCR grouping)', () => {
  it('joins words of a line whose gap is under half the box height, keeping the union box and the mean confidence', () => {
    // Height 20: a gap of 9 px merges; the merged box is 23 px tall (8–31), so a gap of 12 px (≥ 11.5) does not.
    const boxes = mergeIntoTextBoxes([word('LOT', 0, 40, 0, 0.8), word('42A7', 49, 100, 0, 0.9, 8, 31), word('far', 112, 140, 0)]);
    expect(boxes.map((box) => box.text)).toEqual(['LOT 42A7', 'far']);
    expect(boxes[0]).toMatchObject({ left: 0, top: 8, right: 100, bottom: 31 });
    expect(boxes[0]!.confidence).toBeCloseTo(0.85, 10);
  });

  it('never joins words of different lines, however close', () => {
    const boxes = mergeIntoTextBoxes([word('SN', 0, 30, 0), word('0815', 32, 80, 1, 0.9, 32, 52)]);
    expect(boxes.map((box) => box.text)).toEqual(['SN', '0815']);
  });

  it('gives nothing for no words', () => {
    expect(mergeIntoTextBoxes([])).toEqual([]);
  });
});
