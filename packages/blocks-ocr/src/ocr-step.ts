import { field, InvalidInputError, kinds, newDetectionId, z, type Detection, type Detections, type HostContext, type VadImage } from '@vad/core';
import { languageFolder } from './language-data.js';
import { createTesseractReader, type OcrWord, type TesseractReader, type TextBox } from './tesseract-reader.js';

/** Roboflow's kinds for an OCR step's lineage outputs (`PARENT_ID_KIND`, `PREDICTION_TYPE_KIND`). */
export const parentIdKind = 'parent_id';
export const predictionTypeKind = 'prediction_type';

/** The outputs both OCR blocks give, as Roboflow's OCR blocks declare them. */
export const ocrOutputs = {
  result: { kinds: [kinds.string], description: 'the words read, in reading order, joined by single spaces' },
  predictions: { kinds: [kinds.objectDetectionPrediction], description: 'one box per piece of text, its class the text' },
  parent_id: { kinds: [parentIdKind], description: 'id of the image read (a crop: its detection id)' },
  root_parent_id: { kinds: [parentIdKind], description: "id of the workflow's input image the read image came from" },
  prediction_type: { kinds: [predictionTypeKind], description: 'always "ocr"' },
} as const;

/** Manifest fields both OCR blocks share: the image under Roboflow's names, and vad's confidence threshold. */
export const ocrImageFields = {
  images: field.image({ aliases: ['image'] }),
  // Not in Roboflow's manifests (a definition written for Roboflow gets the default).
  confidence: field.parameter(z.number().min(0).max(1).default(0.6), [kinds.floatZeroToOne], {
    description: "vad only: words Tesseract is less sure of than this (0–1) are left out; on photos its low-confidence words are mostly texture read as letters",
  }),
};

export interface OcrResult {
  result: string;
  predictions: Detections;
  parent_id: string;
  root_parent_id: string;
  prediction_type: 'ocr';
}

/** An OCR step's outputs for one image: the text, a detection per box (class = its text), and the image's lineage. */
export function ocrResult(image: VadImage, boxes: readonly TextBox[]): OcrResult {
  const predictions: Detection[] = boxes.map((box) => ({
    x: (box.left + box.right) / 2,
    y: (box.top + box.bottom) / 2,
    width: box.right - box.left,
    height: box.bottom - box.top,
    confidence: box.confidence,
    class: box.text,
    class_id: 0,
    detection_id: newDetectionId(),
    parent_id: image.id,
  }));
  const detections: Detections = { image: { width: image.width, height: image.height }, predictions };
  if (image.lineage) detections.lineage = image.lineage;
  return {
    result: boxes.map((box) => box.text).join(' '),
    predictions: detections,
    parent_id: image.id,
    root_parent_id: image.lineage?.root?.parentId ?? image.lineage?.parentId ?? image.id,
    prediction_type: 'ocr',
  };
}

/** The reader of one OCR step: languages checked when the step is created, the worker started on the first image. */
export async function ocrReader(languages: readonly string[], context: { stepName: string; host: HostContext }, property?: string): Promise<TesseractReader> {
  const cacheDir = typeof context.host.cacheDir === 'string' ? context.host.cacheDir : undefined;
  const folder = await languageFolder(languages, { stepName: context.stepName, ...(property !== undefined && { property }), ...(cacheDir !== undefined && { cacheDir }) });
  return createTesseractReader({ languages, languageFolder: folder });
}

/** Reads an image's words at or above `confidence` (see TesseractReader.read), after checking the image can be read. */
export async function readWords(reader: TesseractReader, image: VadImage, confidence: number, context: { stepName: string; signal?: AbortSignal }): Promise<OcrWord[]> {
  if (image.width === 0 || image.height === 0) {
    throw new InvalidInputError({
      message: `step "${context.stepName}", property "images": the image is empty (${image.width}×${image.height} pixels)`,
      stepName: context.stepName,
      property: 'images',
    });
  }
  return reader.read(image, { confidence, ...(context.signal && { signal: context.signal }) });
}
