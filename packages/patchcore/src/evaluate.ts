import { InvalidInputError } from '@vad/core';
import { loadMvtecDataset, readMask, type MvtecDataset, type TestSample } from './dataset.js';
import type { AnomalyDetector, AnomalyPrediction } from './detector.js';
import { aupro, f1Max, flattenMasks, rocCurve, type RocCurve, type ScoredMask } from './metrics.js';

export interface SampleResult extends TestSample {
  readonly score: number;
  readonly isAnomalous: boolean;
  readonly milliseconds: number;
}

export interface MetricSet {
  readonly images: number;
  readonly imageAuroc: number;
  readonly pixelAuroc: number | undefined;
  readonly aupro: number | undefined;
}

export interface EvaluationResult extends MetricSet {
  readonly dataset: string;
  /** F1-max over image scores and its (normalised) threshold. */
  readonly f1Max: { f1: number; threshold: number };
  /** F1, precision and recall of the detector's own threshold (0.5 normalised). */
  readonly atThreshold: { f1: number; precision: number; recall: number };
  /** Each defect type against all good images. */
  readonly perDefect: Record<string, MetricSet>;
  readonly imageRoc: RocCurve;
  readonly pixelRoc: RocCurve | undefined;
  readonly samples: SampleResult[];
  readonly timing: { readonly predictMillisecondsPerImage: number; readonly totalMilliseconds: number };
}

export interface EvaluateOptions {
  /** Only these test samples (e.g. a seeded subset). */
  filter?: (sample: TestSample, index: number) => boolean;
  /** Called after each image with the image and its prediction (e.g. to render an overlay). */
  onSample?: (sample: TestSample, prediction: AnomalyPrediction, mask: Uint8Array | undefined, done: number, total: number) => void | Promise<void>;
  /** Skip pixel metrics (faster). */
  imageOnly?: boolean;
  /** Pixel metrics at most this many pixels on the longer side (default 256; maps and masks are resized, aspect kept). */
  mapMaxSide?: number;
}

/**
 * Scores every test image of an MVTec-layout dataset and computes image AUROC, pixel AUROC, AUPRO
 * (FPR ≤ 0.3) and F1-max, overall and per defect type. Pixel metrics are computed at each image's
 * own size (the masks' size).
 */
export async function evaluateDetector(detector: AnomalyDetector, dataset: string | MvtecDataset, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  const data = typeof dataset === 'string' ? await loadMvtecDataset(dataset) : dataset;
  const samples = data.test.filter((sample, index) => options.filter?.(sample, index) ?? true);
  if (!samples.some((sample) => sample.defect === 'good') || !samples.some((sample) => sample.defect !== 'good')) {
    throw new InvalidInputError({ message: `evaluating ${data.root} needs both good and defect test images`, path: data.root });
  }
  const started = performance.now();
  const results: SampleResult[] = [];
  const pixels: (ScoredMask & { defect: string })[] = [];
  let predictMilliseconds = 0;
  for (const [index, sample] of samples.entries()) {
    const before = performance.now();
    const prediction = await detector.predict(sample.path, { mapMaxSide: options.mapMaxSide ?? 256 });
    const milliseconds = performance.now() - before;
    predictMilliseconds += milliseconds;
    let mask: Uint8Array | undefined;
    if (!options.imageOnly) {
      mask = sample.maskPath ? await readMask(sample.maskPath, prediction.width, prediction.height) : new Uint8Array(prediction.width * prediction.height);
      pixels.push({ scores: prediction.map, mask, width: prediction.width, height: prediction.height, defect: sample.defect });
    }
    results.push({ ...sample, score: prediction.score, isAnomalous: prediction.isAnomalous, milliseconds });
    await options.onSample?.(sample, prediction, mask, index + 1, samples.length);
  }
  const metricsFor = (keep: (defect: string) => boolean): MetricSet & { roc: RocCurve; pixelRoc: RocCurve | undefined } => {
    const chosen = results.filter((result) => keep(result.defect));
    const scores = Float32Array.from(chosen, (result) => result.score);
    const labels = Uint8Array.from(chosen, (result) => (result.defect === 'good' ? 0 : 1));
    const roc = rocCurve(scores, labels);
    let pixelRoc: RocCurve | undefined;
    let proArea: number | undefined;
    if (!options.imageOnly) {
      const maps = pixels.filter((item) => keep(item.defect));
      const flat = flattenMasks(maps);
      pixelRoc = rocCurve(flat.scores, flat.labels, { maxPoints: 400 });
      proArea = aupro(maps);
    }
    return { images: chosen.length, imageAuroc: roc.auroc, pixelAuroc: pixelRoc?.auroc, aupro: proArea, roc, pixelRoc };
  };
  const overall = metricsFor(() => true);
  const perDefect: Record<string, MetricSet> = {};
  for (const defect of [...new Set(results.map((result) => result.defect))].filter((defect) => defect !== 'good')) {
    const { roc: _roc, pixelRoc: _pixelRoc, ...set } = metricsFor((name) => name === 'good' || name === defect);
    perDefect[defect] = set;
  }
  const scores = Float32Array.from(results, (result) => result.score);
  const labels = Uint8Array.from(results, (result) => (result.defect === 'good' ? 0 : 1));
  const best = f1Max(scores, labels);
  const truePositives = results.filter((result) => result.isAnomalous && result.defect !== 'good').length;
  const called = results.filter((result) => result.isAnomalous).length;
  const positives = results.filter((result) => result.defect !== 'good').length;
  const precision = called ? truePositives / called : 0;
  const recall = truePositives / positives;
  return {
    dataset: data.root,
    images: overall.images,
    imageAuroc: overall.imageAuroc,
    pixelAuroc: overall.pixelAuroc,
    aupro: overall.aupro,
    f1Max: { f1: best.f1, threshold: best.threshold },
    atThreshold: { f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, precision, recall },
    perDefect,
    imageRoc: overall.roc,
    pixelRoc: overall.pixelRoc,
    samples: results,
    timing: { predictMillisecondsPerImage: predictMilliseconds / results.length, totalMilliseconds: performance.now() - started },
  };
}
