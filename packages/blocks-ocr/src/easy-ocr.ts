import { defineBlock, field, z } from '@vad/core';
import { ocrImageFields, ocrOutputs, ocrReader, ocrResult, readWords } from './ocr-step.js';
import { mergeIntoTextBoxes } from './text-boxes.js';

/** Roboflow's EasyOCR languages (the names its manifest lists) and the Tesseract data vad reads each with. */
export const easyOcrLanguages = {
  English: ['eng'],
  // Roboflow's latin_g2 reads English, Latin, Spanish, French, Italian, Portuguese, German, Polish
  // and Dutch; Tesseract's English data reads their letters, not all of their diacritics.
  Latin: ['eng'],
  // Roboflow's other models read English too; so does vad, with the language's data beside it.
  Japanese: ['eng', 'jpn'],
  Kannada: ['eng', 'kan'],
  Korean: ['eng', 'kor'],
  Telugu: ['eng', 'tel'],
  'Simplified Chinese': ['eng', 'chi_sim'],
} as const satisfies Record<string, readonly string[]>;

type EasyOcrLanguage = keyof typeof easyOcrLanguages;
const languageNames = Object.keys(easyOcrLanguages) as [EasyOcrLanguage, ...EasyOcrLanguage[]];

/**
 * Roboflow's EasyOCR block: the text in an image and a box per piece of text (EasyOCR's grouping:
 * words on a line closer than half their height form one box), its class the text. vad reads with
 * Tesseract; `language` picks its trained data (English ships; the others need their
 * `@tesseract.js-data/<code>` package installed, and fail when the step is created otherwise).
 */
export const easyOcr = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/easy_ocr@v1',
  aliases: ['roboflow_core/easy_ocr@v1', 'EasyOCR'],
  title: 'EasyOCR',
  description:
    "Reads the text in an image with Tesseract (EasyOCR's outputs: the text, and a box per piece of text, close words on a line merged, whose class is the text).",
  manifest: {
    ...ocrImageFields,
    language: field.literal(z.enum(languageNames).default('English'), { description: `language model: ${languageNames.join(', ')}` }),
    quantize: field.literal(z.boolean().default(false), { description: "accepted for Roboflow compatibility; vad's Tesseract data is already integer-quantized" }),
  },
  outputs: ocrOutputs,
  create: async (context) => {
    const language = context.properties.language ?? 'English';
    const reader = await ocrReader(easyOcrLanguages[language], context, 'language');
    return {
      async run(inputs, run) {
        const words = await readWords(reader, inputs.images, inputs.confidence ?? 0.6, { stepName: context.stepName, signal: run.signal });
        return ocrResult(inputs.images, mergeIntoTextBoxes(words));
      },
      dispose: () => reader.dispose(),
    };
  },
});
