import type { AnyBlock } from '@vad/core';
import { detectionOffset } from './detection-offset.js';
import { detectionsFilter } from './detections-filter.js';
import { detectionsStitch } from './detections-stitch.js';
import { imageSlicer } from './image-slicer.js';
import { classificationModel, multiLabelClassificationModel } from './classification-model.js';
import { objectDetectionModel } from './object-detection-model.js';
import { referenceComparison } from './reference-comparison.js';

export { imageSlicer, sliceImage } from './image-slicer.js';
export type { SliceImageOptions } from './image-slicer.js';
export { sliceLayout } from '@vad/core';
export type { SliceLayoutOptions, SliceRegion } from '@vad/core';
export { detectionsStitch, stitchDetections } from './detections-stitch.js';
export type { StitchOptions } from './detections-stitch.js';
export { detectionsFilter, filterDetections, passesFilter } from './detections-filter.js';
export type { DetectionsFilterOptions } from './detections-filter.js';
export { detectionOffset, offsetDetections } from './detection-offset.js';
export type { DetectionOffsetOptions } from './detection-offset.js';
export { createBoxSet, concatBoxes, selectBoxes, indicesByScore, intersectionOverUnion } from './box-set.js';
export type { BoxSet } from './box-set.js';
export { filterOverlaps, nonMaximumMerge, nonMaximumSuppression } from './overlap-filter.js';
export type { OverlapFilteringStrategy, OverlapFilterOptions } from './overlap-filter.js';
export { objectDetectionModel } from './object-detection-model.js';
export { classificationModel, multiLabelClassificationModel } from './classification-model.js';
export { createImageClassifier, softmax } from './image-classifier.js';
export type { ImageClassifier, ImageClassifierOptions } from './image-classifier.js';
export { createObjectDetector } from './object-detector.js';
export type { ObjectDetector, ObjectDetectorOptions, DetectOptions } from './object-detector.js';
export { prepareDetectorInput, mapBoxesToImage } from './detector-input.js';
export type { DetectorInput } from './detector-input.js';
export { inputPresets } from './decoder-presets.js';
export type { InputPreset } from './decoder-presets.js';
export { classNamesFromMetadata, classNamesOfModelFile } from './class-names.js';
export { referenceComparison } from './reference-comparison.js';
export { compareToReference } from './reference-comparison/compare-to-reference.js';
export type { AlignmentMode, ReferenceComparison, ReferenceComparisonOptions } from './reference-comparison/compare-to-reference.js';
export { alignPiecewise, estimateTranslation } from './reference-comparison/alignment.js';
export type { PiecewiseAlignment, Translation } from './reference-comparison/alignment.js';
export { connectedComponents } from './reference-comparison/connected-components.js';
export type { Component } from './reference-comparison/connected-components.js';
export { binarize, combine, growWhite, invert, shrinkWhite, openWhite } from './reference-comparison/binary-image.js';
export type { BinaryImage } from './reference-comparison/binary-image.js';
export { boxesFromPredictions, predictionFromBox } from './prediction-boxes.js';
export { decodeDetr } from './decoders/detr.js';
export { decodeNanoDet } from './decoders/nanodet.js';
export type { NanoDetLevel } from './decoders/nanodet.js';
export { decodeYoloV5, decodeYolox } from './decoders/yolov5.js';
export type { YoloxDecodeOptions } from './decoders/yolov5.js';
export { decodeYoloV8 } from './decoders/yolov8.js';
export { decodeDetections, detectDecoder } from './decoders/detect-decoder.js';
export type { DecodeDetectionsOptions, DecodedDetections, DetectDecoderOptions, OutputShape } from './decoders/detect-decoder.js';
export { decoderNames, gridCount, sigmoid } from './decoders/output-tensor.js';
export type { DecodeOptions, DecoderName, OutputTensor } from './decoders/output-tensor.js';

/** Every block of this package, for a registry. */
export function detectionBlocks(): AnyBlock[] {
  return [objectDetectionModel, classificationModel, multiLabelClassificationModel, imageSlicer, detectionsStitch, detectionsFilter, detectionOffset, referenceComparison];
}
