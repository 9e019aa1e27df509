// The runtime entry: blocks, fitting, model files, detectors, presets and backbones. Evaluation
// (datasets, metrics, reports, the eval and calibrate commands) is in '@vad/patchcore/eval'.
export { patchcoreBlocks, patchcoreBlock, anomalyRegionsBlock } from './blocks.js';
export { anomalyRegions } from './anomaly-regions.js';
export type { AnomalyRegionOptions } from './anomaly-regions.js';

export { fitCommand } from './fit-command.js';
export type { FitCommandOptions, FitCommandResult } from './fit-command.js';
export type { CommandProgress } from './command-progress.js';
export { fitPatchCore } from './patchcore-fit.js';
export type { PatchCoreFitOptions } from './patchcore-fit.js';
export { fitAutoPatchCore, selectionTable } from './auto-preset.js';
export type { AutoSelectionRecord, AutoCandidateRecord, AutoFitOptions } from './auto-preset.js';
export { withThreshold, calibratePatchCore } from './patchcore-threshold.js';
export { f1MaxCalibration } from './calibrate.js';
export type { F1MaxCalibration } from './calibrate.js';
export { checkBackbone, fullBankMaxImages } from './model-record.js';
export type { FitProgress, BackboneRecord, ThresholdRecord } from './model-record.js';

export { savePatchCoreModel, loadPatchCoreModel, defaultCoresetRatio } from './patchcore-model.js';
export type { PatchCoreModel, PatchCoreHeader } from './patchcore-model.js';
export { createPatchCoreDetector } from './patchcore-detector.js';
export type { PatchCoreDetector, PatchCorePrediction } from './patchcore-detector.js';
export { fitPadim, createPadimDetector, savePadimModel, loadPadimModel } from './padim.js';
export type { PadimModel, PadimHeader, PadimFitOptions, PadimDetector } from './padim.js';
export type { AnomalyDetector, AnomalyPrediction, PredictOptions } from './detector.js';
export { loadDetector, resolveModelPath, modelFileExtension } from './load-detector.js';
export type { LoadDetectorOptions } from './load-detector.js';

export { loadFeatureBackbone, backboneIds, defaultBackboneId, backboneDefaults, fitOptionsOf, presets } from './backbones.js';
export type { BackboneId, BackboneLoadOptions, PresetName } from './backbones.js';
export type { FeatureBackbone, InputGeometry } from './backbone.js';
export type { TapShape } from './patch-features.js';
export { augmentations } from './augment.js';
export type { Augmentation } from './augment.js';
export { defaultScoring, plainScoring, singleExposureScoring } from './scoring.js';
export type { ScoringRecord, GridScores } from './scoring.js';
export type { LoadedImage } from './read-image.js';
export type { LabelledImage } from './dataset.js';

// The server's demo and `vad demo` make this dataset to try fitting on.
export { writeDemoDataset, ensureDemoDataset, demoCounts, demoSize, demoVersion } from './demo-dataset.js';
export type { DemoDataset, DemoImage, DemoLabel } from './demo-dataset.js';
