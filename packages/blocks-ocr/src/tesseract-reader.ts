import type { VadImage } from '@vad/core';
import { AbortedError, loadSharp } from '@vad/core';
import type Tesseract from 'tesseract.js';
import { toTesseractImage } from './tesseract-image.js';

/** One word Tesseract read, in the pixel coordinates of the image it was given. */
export interface OcrWord {
  readonly text: string;
  /** Tesseract's word confidence, 0–1. */
  readonly confidence: number;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  /** Index of the text line the word is on, in reading order over the whole image. */
  readonly line: number;
}

export interface TesseractReader {
  /** The words in reading order (blocks, then lines, then words). Runs one image at a time. */
  read(image: VadImage, options?: { signal?: AbortSignal }): Promise<OcrWord[]>;
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
 * Parameters set on the worker. Page segmentation 3 (automatic, no orientation detection) finds
 * text anywhere in a crop or a frame: Tesseract's API defaults to 6 (one uniform block), which
 * reads the texture of a photo as lines of text. `debug_file` keeps Tesseract's notes
 * ("Estimating resolution as …") out of the process's output.
 */
const workerParameters = {
  tessedit_pageseg_mode: '3',
  debug_file: '/dev/null',
} as const;

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
    await created.setParameters(workerParameters as unknown as Partial<Tesseract.WorkerParams>);
    return created;
  };
  const workerNow = () => {
    worker ??= start().catch((cause: unknown) => {
      worker = undefined; // a failed start is tried again on the next read
      throw cause;
    });
    return worker;
  };

  const recognize = async (image: VadImage, signal: AbortSignal | undefined): Promise<OcrWord[]> => {
    if (signal?.aborted) throw new AbortedError({ message: 'the run was cancelled before OCR' });
    const sharp = await loadSharp();
    const prepared = await toTesseractImage(image, sharp);
    const tesseract = await workerNow();
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

  return {
    read(image, readOptions = {}) {
      if (disposed) return Promise.reject(new AbortedError({ message: 'the OCR reader was disposed' }));
      const job = queue.then(() => recognize(image, readOptions.signal));
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
