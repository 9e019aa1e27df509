import type { VadImage } from '@vad/core';
import { AbortedError, loadSharp } from '@vad/core';
import type Tesseract from 'tesseract.js';
import { toTesseractImage, type TesseractImage } from './tesseract-image.js';

/** A piece of text found in an image: a word, or (EasyOCR-style) words merged into one box. */
export interface TextBox {
  readonly text: string;
  /** Tesseract's confidence, 0–1. */
  readonly confidence: number;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** One word Tesseract read, in the pixel coordinates of the image it was given. */
export interface OcrWord extends TextBox {
  /** Index of the text line the word is on, in reading order over the whole image. */
  readonly line: number;
}

export interface ReadOptions {
  /** Words Tesseract is less sure of (0–1) are left out. Default 0: every word. */
  readonly confidence?: number;
  readonly signal?: AbortSignal;
}

export interface TesseractReader {
  /**
   * The words at or above `confidence`, in reading order (blocks, then lines, then words). When
   * Tesseract's automatic page layout keeps no word, the image is read again as sparse text (see
   * `sparseTextPass`). Runs one image at a time.
   */
  read(image: VadImage, options?: ReadOptions): Promise<OcrWord[]>;
  /** Ends the worker thread, if one was started. */
  dispose(): Promise<void>;
}

export interface TesseractReaderOptions {
  /** Tesseract language codes, e.g. ['eng'] or ['eng', 'jpn']. */
  readonly languages: readonly string[];
  /** The folder with `<code>.traineddata.gz` of each language (see languageFolder). */
  readonly languageFolder: string;
}

/**
 * The first pass: page segmentation 3 (automatic layout, no orientation detection) with global
 * Otsu thresholding, Tesseract's way with documents, labels and frames. Tesseract's API defaults
 * to 6 (one uniform block), which reads the texture of a photo as lines of text. `debug_file`
 * keeps Tesseract's notes ("Estimating resolution as …") out of the process's output.
 */
const layoutPass = { tessedit_pageseg_mode: '3', thresholding_method: '0', debug_file: '/dev/null' } as const;

/**
 * The second pass, for an image the first found no text in: page segmentation 11 (sparse text,
 * no layout) with Leptonica's tiled Otsu thresholding. A label inside the crop of an object (a tag
 * on a dog, a plate on a car) is where automatic layout fails: on 24 such crops of the shared
 * photos (bench/ocr-scene-labels.mjs) the first pass alone read no label exactly, the two passes
 * 11 (and 4 more among stray words); on clean labels, frames and a document the first pass reads
 * everything and the second never runs. Sparse text also reads photo texture as letters, so its
 * words must be surer: at least `sparseConfidence`, with a letter or digit, and a lone character
 * at least 0.9.
 */
const sparseTextPass = { tessedit_pageseg_mode: '11', thresholding_method: '1', debug_file: '/dev/null' } as const;
const sparseConfidence = 0.8;
const letterOrDigit = /[\p{L}\p{N}]/u;

/**
 * A Tesseract worker (a worker thread running Tesseract compiled to WebAssembly) created on the
 * first read and kept for the next ones. A worker recognizes one image at a time; reads queue
 * behind each other, so concurrent runs of a step wait their turn instead of mixing parameters.
 * Language data is read from local files only (no cache written, nothing fetched): `langPath` is
 * a folder, and the image is handed over as bytes.
 */
export function createTesseractReader(options: TesseractReaderOptions): TesseractReader {
  let worker: Promise<Tesseract.Worker> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;

  const start = async (): Promise<Tesseract.Worker> => {
    const { createWorker, OEM } = (await import('tesseract.js')).default;
    const created = await createWorker([...options.languages], OEM.LSTM_ONLY, {
      langPath: options.languageFolder,
      cacheMethod: 'none',
      gzip: true,
    });
    return created;
  };
  const workerNow = () => {
    worker ??= start().catch((cause: unknown) => {
      worker = undefined; // a failed start is tried again on the next read
      throw cause;
    });
    return worker;
  };

  const recognize = async (tesseract: Tesseract.Worker, prepared: TesseractImage, parameters: Record<string, string>): Promise<OcrWord[]> => {
    await tesseract.setParameters(parameters as unknown as Partial<Tesseract.WorkerParams>);
    const { data } = await tesseract.recognize(prepared.bytes, {}, { blocks: true, text: false });
    const words: OcrWord[] = [];
    let line = 0;
    for (const block of data.blocks ?? []) {
      for (const paragraph of block.paragraphs) {
        for (const textLine of paragraph.lines) {
          for (const word of textLine.words) {
            const text = word.text.trim();
            if (text === '') continue;
            words.push({ text, confidence: word.confidence / 100, line, ...prepared.toImage(word.bbox) });
          }
          line++;
        }
      }
    }
    return words;
  };

  const readNow = async (image: VadImage, options: ReadOptions): Promise<OcrWord[]> => {
    if (options.signal?.aborted) throw new AbortedError({ message: 'the run was cancelled before OCR' });
    const confidence = options.confidence ?? 0;
    const prepared = await toTesseractImage(image, await loadSharp());
    const tesseract = await workerNow();
    const found = (await recognize(tesseract, prepared, layoutPass)).filter((word) => word.confidence >= confidence);
    if (found.length > 0) return found;
    if (options.signal?.aborted) throw new AbortedError({ message: 'the run was cancelled during OCR' });
    const surer = Math.max(confidence, sparseConfidence);
    return (await recognize(tesseract, prepared, sparseTextPass)).filter(
      (word) => word.confidence >= surer && letterOrDigit.test(word.text) && ([...word.text].length > 1 || word.confidence >= 0.9),
    );
  };

  return {
    read(image, readOptions = {}) {
      if (disposed) return Promise.reject(new AbortedError({ message: 'the OCR reader was disposed' }));
      const job = queue.then(() => readNow(image, readOptions));
      queue = job.catch(() => undefined);
      return job;
    },
    async dispose() {
      disposed = true;
      const current = worker;
      worker = undefined;
      if (!current) return;
      await queue;
      await current.then((w) => w.terminate(), () => undefined);
    },
  };
}
