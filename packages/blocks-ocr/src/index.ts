import type { AnyBlock } from '@vad/core';
import { easyOcr } from './easy-ocr.js';
import { ocrModel } from './ocr-model.js';

export { easyOcr, easyOcrLanguages } from './easy-ocr.js';
export { ocrModel } from './ocr-model.js';
export { ocrResult, ocrOutputs, type OcrResult } from './ocr-step.js';
export { mergeIntoTextBoxes } from './text-boxes.js';
export { createTesseractReader, type OcrWord, type TesseractReader, type TextBox, type TesseractReaderOptions } from './tesseract-reader.js';
export { languageFolder, languagePackageRoot } from './language-data.js';

/** The blocks of @vad/blocks-ocr: Roboflow's OCR Model and EasyOCR, both read by Tesseract. */
export function ocrBlocks(): AnyBlock[] {
  return [ocrModel, easyOcr];
}

/** Plugin entry point for `loadPlugins` / `VAD_PLUGINS`. */
export function vadBlocks(): AnyBlock[] {
  return ocrBlocks();
}
