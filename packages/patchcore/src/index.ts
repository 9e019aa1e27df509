export { patchcoreBlocks, patchcoreBlock, anomalyRegionsBlock } from './blocks.js';
export { fitCommand, evalCommand, calibrateCommand } from './commands.js';
export { fitAutoPatchCore, autoCandidates, autoDefaultMargin, autoMinimumImages, chooseCandidate, selectionTable } from './auto-preset.js';
export type { AutoSelectionRecord, AutoCandidateRecord, AutoFitOptions } from './auto-preset.js';
export { writeSyntheticValidation, drawSyntheticDefect, syntheticDefectKinds } from './synthetic-defects.js';
export type { SyntheticDefect, SyntheticDefectKind } from './synthetic-defects.js';
export type { FitCommandOptions, FitCommandResult, EvalCommandOptions, EvalCommandResult, CalibrateCommandOptions, CalibrateCommandResult, CommandProgress } from './commands.js';
export { f1MaxCalibration } from './calibrate.js';
export type { F1MaxCalibration } from './calibrate.js';
export {
  fitPatchCore,
  createPatchCoreDetector,
  savePatchCoreModel,
  loadPatchCoreModel,
  withThreshold,
  calibratePatchCore,
  checkBackbone,
  defaultCoresetRatio,
  fullBankMaxImages,
} from './patchcore.js';
export type { PatchCoreModel, PatchCoreHeader, PatchCoreFitOptions, PatchCoreDetector, PatchCorePrediction, FitProgress, BackboneRecord, ThresholdRecord } from './patchcore.js';
export { fitPadim, createPadimDetector, savePadimModel, loadPadimModel } from './padim.js';
export type { PadimModel, PadimHeader, PadimFitOptions, PadimDetector } from './padim.js';
export type { AnomalyDetector, AnomalyPrediction, PredictOptions } from './detector.js';
export { loadDetector, resolveModelPath, modelFileExtension } from './load-detector.js';
export type { LoadDetectorOptions } from './load-detector.js';
export { loadFeatureBackbone, backboneIds, defaultBackboneId, backboneDefaults, fitOptionsOf, presets } from './backbones.js';
export type { BackboneId, BackboneLoadOptions, PresetName } from './backbones.js';
export type { FeatureBackbone, InputGeometry } from './backbone.js';
export { augmentations } from './augment.js';
export { defaultScoring, plainScoring, singleExposureScoring } from './scoring.js';
export type { ScoringRecord, GridScores } from './scoring.js';
export type { Augmentation } from './augment.js';
export { anomalyRegions } from './anomaly-regions.js';
export type { AnomalyRegionOptions } from './anomaly-regions.js';
export { evaluateDetector } from './evaluate.js';
export type { EvaluationResult, EvaluateOptions, MetricSet, SampleResult } from './evaluate.js';
export { writeReport, rocSvg, summaryLine } from './report.js';
export type { GalleryItem } from './report.js';
export { renderOverlay } from './heatmap.js';
export { argsortDescending } from './sort-scores.js';
export { rocCurve, auroc, f1Max, pixelAuroc, aupro, flattenMasks } from './metrics.js';
export type { RocCurve, F1Max, ScoredMask } from './metrics.js';
export { imageExtensions, isImageFile, listImages, resolveTrainingImages, loadMvtecDataset, loadLabelledImages, readImageRgb, readMask, resizeRgb } from './dataset.js';
export type { TestSample, MvtecDataset, LoadedImage, LabelledImage } from './dataset.js';
export { readModelFile, writeModelFile, modelFileMagic, modelFileVersion } from './model-file.js';
export type { ModelFileContents, StoredArray, StoredType } from './model-file.js';
export { selectCoreset, selectCoresetProjected, createRandomProjector } from './coreset.js';
export type { CoresetOptions, RandomProjector } from './coreset.js';
export { createNearestNeighbourSearch, buildNearestNeighbourModel } from './nearest-neighbour.js';
export type { NearestNeighbourSearch, NearestNeighbourOptions } from './nearest-neighbour.js';
export { createFeaturePipeline } from './feature-extraction.js';
export type { FeaturePipeline } from './feature-extraction.js';
export { buildPatchFeatureModel } from './patch-features.js';
export type { TapShape } from './patch-features.js';
export { createAnomalyMapRenderer, blurSigmaFor, gaussianKernel } from './anomaly-map.js';
export { createRandom } from './random.js';
export { writeDemoDataset, ensureDemoDataset, demoCounts, demoSize, demoVersion } from './demo-dataset.js';
export type { DemoDataset, DemoImage, DemoLabel } from './demo-dataset.js';
