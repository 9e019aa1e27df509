// '@vad/patchcore/eval': evaluation — datasets (MVTec layout, labelled folders), metrics, the HTML
// report, synthetic validation defects, and the `vad eval` and `vad calibrate` commands.
export { evalCommand } from './eval-command.js';
export type { EvalCommandOptions, EvalCommandResult } from './eval-command.js';
export { calibrateCommand } from './calibrate-command.js';
export type { CalibrateCommandOptions, CalibrateCommandResult } from './calibrate-command.js';
export { evaluateDetector } from './evaluate.js';
export type { EvaluationResult, EvaluateOptions, MetricSet, SampleResult } from './evaluate.js';
export { rocCurve, auroc, f1Max, pixelAuroc, aupro, flattenMasks } from './metrics.js';
export type { RocCurve, F1Max, ScoredMask } from './metrics.js';
export { writeReport, rocSvg, summaryLine } from './report.js';
export type { GalleryItem } from './report.js';
export { renderOverlay } from './heatmap.js';
export { loadMvtecDataset, loadLabelledImages, readMask } from './dataset.js';
export type { TestSample, MvtecDataset, LabelledImage } from './dataset.js';
export { imageExtensions, isImageFile, listImages, resolveTrainingImages } from './image-files.js';
export { readImageRgb, resizeRgb } from './read-image.js';
export { writeSyntheticValidation, drawSyntheticDefect, syntheticDefectKinds } from './synthetic-defects.js';
export type { SyntheticDefect, SyntheticDefectKind } from './synthetic-defects.js';
