import { InvalidInputError, ModelLoadError, newDetectionId, type Detection, type Detections, type VadImage } from '@vad/core';
import { createSessionFromFile, describeModelSource, resolveModelSource, type ModelSession, type ModelSource } from '@vad/models';
import { selectBoxes, type BoxSet } from './box-set.js';
import { classNamesFromMetadata, metadataOfModelFile } from './class-names.js';
import { inputPresets, type InputPreset } from './decoder-presets.js';
import { decodeDetections, detectDecoder } from './decoders/detect-decoder.js';
import type { DecoderName, OutputTensor } from './decoders/output-tensor.js';
import type { KeypointShape } from './decoders/yolov8-pose.js';
import { keypointShapeFromMetadata } from './keypoints/keypoint-metadata.js';
import { mapBoxesToImage, prepareDetectorInput, type DetectorInput } from './detector-input.js';
import { nonMaximumSuppression } from './overlap-filter.js';

export interface ObjectDetectorOptions {
  /** The ONNX export: a path, `{url, sha256}`, or `{package, file}` (see @vad/models). */
  model: ModelSource;
  /** Class names in class-id order; else read from the model's metadata; else the ids as strings. */
  classNames?: readonly string[];
  /** Output layout; detected from the output shapes when absent. */
  decoder?: DecoderName;
  /** Keypoints per detection and values per keypoint of a pose export; else its `kpt_shape` metadata. */
  keypointShape?: KeypointShape;
  /** Network input size when the model's input has no fixed size. Default 640. */
  inputWidth?: number;
  inputHeight?: number;
  /** Preprocessing overrides on top of the decoder's preset. */
  input?: Partial<InputPreset>;
  executionProviders?: readonly string[];
  cacheDir?: string;
  /** Where errors point in a workflow. */
  stepName?: string;
}

export interface DetectOptions {
  /** Minimum score, 0–1. Default 0.4 (Roboflow's default). */
  confidence?: number;
  /** NMS IoU threshold. Default 0.3. */
  iouThreshold?: number;
  classAgnosticNms?: boolean;
  /** Keep only these class names. */
  classFilter?: readonly string[];
  /** Default 300. */
  maxDetections?: number;
  /** Candidates kept for NMS, best first. Default 3000. */
  maxCandidates?: number;
}

/** One image's detections with what produced them, for heads that read more than boxes (masks). */
export interface DetectorRun {
  detections: Detections;
  /** The boxes behind `detections.predictions`, in the same order, in image pixels (with `origins` where the decoder records them). */
  kept: BoxSet;
  /** The raw model outputs. */
  outputs: OutputTensor[];
  /** How the image was placed in the network input. */
  input: DetectorInput;
}

export interface ObjectDetector {
  readonly decoder: DecoderName;
  /** A pose export's keypoint shape (given, or its `kpt_shape` metadata), else undefined. */
  readonly keypointShape: KeypointShape | undefined;
  /** The model file's metadata entries. */
  readonly metadata: ReadonlyArray<{ key: string; value: string }>;
  readonly classNames: readonly string[];
  readonly inputWidth: number;
  readonly inputHeight: number;
  detect(image: VadImage, options?: DetectOptions): Promise<Detections>;
  detectWithOutputs(image: VadImage, options?: DetectOptions): Promise<DetectorRun>;
  dispose(): Promise<void>;
}

/** Opens an ONNX detector, settles its decoder, input size and class names, and checks they agree. */
export async function createObjectDetector(options: ObjectDetectorOptions): Promise<ObjectDetector> {
  const { stepName } = options;
  const name = describeModelSource(options.model);
  const file = await resolveModelSource(options.model, { cacheDir: options.cacheDir });
  const session = await createSessionFromFile(file, { executionProviders: options.executionProviders });
  try {
    const ort = session.inferenceSession as unknown as {
      inputMetadata?: ReadonlyArray<{ name: string; shape?: ReadonlyArray<number | string> }>;
      outputMetadata?: ReadonlyArray<{ name: string; shape?: ReadonlyArray<number | string> }>;
    };
    const inputShape = ort.inputMetadata?.[0]?.shape;
    const fixed = (value: number | string | undefined) => (typeof value === 'number' && value > 0 ? value : undefined);
    const inputHeight = fixed(inputShape?.[2]) ?? options.inputHeight ?? 640;
    const inputWidth = fixed(inputShape?.[3]) ?? options.inputWidth ?? 640;
    if (session.inputNames.length !== 1) {
      throw new ModelLoadError({ message: `detector ${name} has ${session.inputNames.length} inputs (${session.inputNames.join(', ')}); one image input [1, 3, H, W] is expected`, path: name, stepName });
    }

    const outputShapes = (ort.outputMetadata ?? []).map((o) => ({ name: o.name, dims: (o.shape ?? []).map((d, axis) => (typeof d === 'number' && d > 0 ? d : axis === 0 ? 1 : -1)) })); // a symbolic batch axis is 1 here
    const staticShapes = outputShapes.length === session.outputNames.length && outputShapes.every((o) => o.dims.length > 0 && o.dims.every((d) => d > 0));
    const metadata = await metadataOfModelFile(file, name);
    let classNames = options.classNames ? [...options.classNames] : undefined;
    classNames ??= classNamesFromMetadata(metadata);
    const keypointShape = options.keypointShape ?? keypointShapeFromMetadata(metadata);
    let decoder = options.decoder;
    if (!decoder && staticShapes) decoder = withStep(() => detectDecoder(outputShapes, { inputWidth, inputHeight, classCount: classNames?.length, keypointShape }), stepName, name);

    const checkClassCount = (classCount: number) => {
      if (classNames && classNames.length !== classCount) {
        throw new InvalidInputError({
          message: `${options.classNames ? 'class_names has' : `the class names in ${name}'s metadata have`} ${classNames.length} entries, but the model scores ${classCount} classes`,
          stepName,
          property: 'class_names',
          path: name,
        });
      }
    };
    let checkedClassCount: number | undefined;
    if (decoder && staticShapes) {
      // Decode an empty output once, to learn the class count before any image arrives.
      const empty = outputShapes.map((o) => ({ ...o, data: new Float32Array(o.dims.reduce((a, b) => a * b, 1)).fill(-1e9) }));
      checkedClassCount = withStep(() => decodeDetections(empty, { decoder, inputWidth, inputHeight, confidenceThreshold: 2, classCount: classNames?.length, keypointShape }), stepName, name).classCount;
      checkClassCount(checkedClassCount);
    }

    const preset = (settled: DecoderName) => ({ ...inputPresets[settled], ...options.input, width: inputWidth, height: inputHeight });
    const detector: ObjectDetector = {
      get decoder() {
        return decoder ?? 'yolov8';
      },
      get classNames() {
        return classNames ?? [];
      },
      keypointShape,
      metadata,
      inputWidth,
      inputHeight,
      async detect(image, detectOptions) {
        return (await detector.detectWithOutputs(image, detectOptions)).detections;
      },
      async detectWithOutputs(image, detectOptions = {}) {
        // An undetected decoder (dynamic output shapes) is settled by the first output; the preset follows it.
        const prepared = await prepareDetectorInput(image, preset(decoder ?? 'yolov8'));
        const results = await session.run({ [session.inputNames[0]!]: { data: prepared.tensor, dims: [1, 3, inputHeight, inputWidth] } });
        const outputs: OutputTensor[] = session.outputNames.map((outputName) => {
          const value = results[outputName]!;
          if (!(value.data instanceof Float32Array)) throw new ModelLoadError({ message: `output ${outputName} of ${name} is not float32`, path: name, stepName });
          return { name: outputName, dims: value.dims, data: value.data };
        });
        const confidence = detectOptions.confidence ?? 0.4;
        const decoded = withStep(() => decodeDetections(outputs, { decoder, inputWidth, inputHeight, confidenceThreshold: confidence, classCount: classNames?.length, keypointShape }), stepName, name);
        if (decoder === undefined) {
          decoder = decoded.decoder;
          // Settled only now (dynamic output shapes): if its family preprocesses differently, run again with its preset.
          if (JSON.stringify(preset(decoder)) !== JSON.stringify(preset('yolov8'))) return detector.detectWithOutputs(image, detectOptions);
        }
        if (checkedClassCount === undefined) {
          checkClassCount(decoded.classCount);
          checkedClassCount = decoded.classCount;
        }
        let boxes = decoded.boxes;
        const nameOf = (id: number) => classNames?.[id] ?? String(id);
        if (detectOptions.classFilter && detectOptions.classFilter.length > 0) {
          const wanted = new Set(detectOptions.classFilter);
          const keep: number[] = [];
          for (let i = 0; i < boxes.count; i++) if (wanted.has(nameOf(boxes.classIds[i]!))) keep.push(i);
          boxes = selectBoxes(boxes, keep);
        }
        const maxCandidates = detectOptions.maxCandidates ?? 3000;
        if (boxes.count > maxCandidates) boxes = selectBoxes(boxes, [...boxes.scores.keys()].sort((a, b) => boxes.scores[b]! - boxes.scores[a]!).slice(0, maxCandidates));
        mapBoxesToImage(boxes.corners, boxes.count, prepared);
        const kept = nonMaximumSuppression(boxes, {
          iouThreshold: detectOptions.iouThreshold ?? 0.3,
          classAgnostic: detectOptions.classAgnosticNms ?? false,
          maxDetections: detectOptions.maxDetections ?? 300,
        });
        const predictions: Detection[] = [];
        const shown: number[] = [];
        for (const index of kept) {
          const x1 = boxes.corners[index * 4]!, y1 = boxes.corners[index * 4 + 1]!, x2 = boxes.corners[index * 4 + 2]!, y2 = boxes.corners[index * 4 + 3]!;
          if (x2 <= x1 || y2 <= y1) continue; // a box wholly in the padding
          shown.push(index);
          const classId = boxes.classIds[index]!;
          predictions.push({
            x: (x1 + x2) / 2,
            y: (y1 + y2) / 2,
            width: x2 - x1,
            height: y2 - y1,
            confidence: boxes.scores[index]!,
            class: nameOf(classId),
            class_id: classId,
            detection_id: newDetectionId(),
            parent_id: image.id,
          });
        }
        const detections: Detections = { image: { width: image.width, height: image.height }, predictions };
        if (image.lineage) detections.lineage = image.lineage;
        return { detections, kept: selectBoxes(boxes, shown), outputs, input: prepared };
      },
      dispose: () => session.dispose(),
    };
    return detector;
  } catch (error) {
    await session.dispose();
    throw error;
  }
}

/** Runs `fn`, adding the step and model to a VadError that lacks them. */
function withStep<T>(fn: () => T, stepName: string | undefined, path: string): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ModelLoadError && stepName && !error.stepName) throw new ModelLoadError({ message: error.message, stepName, path, cause: error });
    throw error;
  }
}
