import { defineBlock } from '@vad/core';
import { ocrImageFields, ocrOutputs, ocrReader, ocrResult, readWords } from './ocr-step.js';

/**
 * Reads the text in an image, one box per word (Roboflow's OCR Model, which runs DocTR on
 * Roboflow's servers or GPU; vad runs Tesseract 5's LSTM, English, on the CPU in WebAssembly).
 * `result` is every word in reading order joined by spaces; `predictions` a detection per word
 * whose class is the word.
 */
export const ocrModel = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/ocr_model@v1',
  aliases: ['roboflow_core/ocr_model@v1', 'OCRModel'],
  title: 'OCR Model',
  description:
    'Reads the text in an image with Tesseract (LSTM, English data shipped in an npm package, no download): the words in reading order and a box per word whose class is the word.',
  manifest: ocrImageFields,
  outputs: ocrOutputs,
  create: async (context) => {
    const reader = await ocrReader(['eng'], context);
    return {
      async run(inputs, run) {
        const words = await readWords(reader, inputs.images, inputs.confidence ?? 0.6, { stepName: context.stepName, signal: run.signal });
        return ocrResult(inputs.images, words);
      },
      dispose: () => reader.dispose(),
    };
  },
});
