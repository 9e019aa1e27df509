import type { OcrWord, TextBox } from './tesseract-reader.js';

/**
 * Words merged into EasyOCR's text boxes: EasyOCR joins boxes on one line when the gap between
 * them is under half the box's height (its `width_ths` = 0.5), so "LOT 42A7" is one box, and two
 * words far apart on a line stay two. The text is the words joined by a space; the confidence
 * their mean. (EasyOCR also grows each box by a tenth of its height on every side; vad keeps the
 * boxes tight to the words.)
 */
export function mergeIntoTextBoxes(words: readonly OcrWord[], gapOfHeight = 0.5): TextBox[] {
  const boxes: TextBox[] = [];
  let current: { words: OcrWord[]; left: number; top: number; right: number; bottom: number; line: number } | undefined;
  const close = () => {
    if (!current) return;
    const confidence = current.words.reduce((sum, word) => sum + word.confidence, 0) / current.words.length;
    boxes.push({ text: current.words.map((word) => word.text).join(' '), confidence, left: current.left, top: current.top, right: current.right, bottom: current.bottom });
    current = undefined;
  };
  for (const word of words) {
    if (current && current.line === word.line && word.left - current.right < gapOfHeight * (current.bottom - current.top)) {
      current.words.push(word);
      current.left = Math.min(current.left, word.left);
      current.top = Math.min(current.top, word.top);
      current.right = Math.max(current.right, word.right);
      current.bottom = Math.max(current.bottom, word.bottom);
      continue;
    }
    close();
    current = { words: [word], left: word.left, top: word.top, right: word.right, bottom: word.bottom, line: word.line };
  }
  close();
  return boxes;
}
