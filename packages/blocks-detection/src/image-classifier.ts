import { InvalidInputError, ModelLoadError, type ClassScore, type MultiLabelClassification, type SingleLabelClassification, type VadImage } from '@vad/core';
import { createSessionFromFile, describeModelSource, resolveModelSource, type ModelSource } from '@vad/models';
import { classNamesOfModelFile } from './class-names.js';
import type { InputPreset } from './decoder-presets.js';
import { prepareDetectorInput } from './detector-input.js';

export interface ImageClassifierOptions {
  /** The ONNX export: a path, `{url, sha256}`, or `{package, file}` (see @vad/models). */
  model: ModelSource;
  /** Class names in class-id order; else read from the model's metadata; else the ids as strings. */
  classNames?: readonly string[];
  /** Network input size when the model's input has no fixed size. Default 224. */
  inputWidth?: number;
  inputHeight?: number;
  /** Preprocessing overrides; default: RGB, stretched to the input size, ImageNet mean/std. */
  input?: Partial<InputPreset>;
  executionProviders?: readonly string[];
  cacheDir?: string;
  /** Where errors point in a workflow. */
  stepName?: string;
}

export interface ImageClassifier {
  readonly classNames: readonly string[];
  readonly inputWidth: number;
  readonly inputHeight: number;
  /** Single-label: softmax over the classes (unless the model already outputs a distribution), best first. */
  classify(image: VadImage): Promise<SingleLabelClassification>;
  /** Multi-label: a sigmoid per class (unless the model already outputs 0–1 scores); `predicted_classes` at or above `confidence`. */
  classifyMultiLabel(image: VadImage, options?: { confidence?: number }): Promise<MultiLabelClassification>;
  dispose(): Promise<void>;
}

/** How Roboflow's and timm/torchvision classifier exports expect their input. */
const classifierInput: InputPreset = { resize: 'stretch', channelOrder: 'rgb', normalization: 'imagenet' };

/** Opens an ONNX classifier (one image input [1, 3, H, W], one score output [1, classes]). */
export async function createImageClassifier(options: ImageClassifierOptions): Promise<ImageClassifier> {
  const { stepName } = options;
  const name = describeModelSource(options.model);
  const file = await resolveModelSource(options.model, { cacheDir: options.cacheDir });
  const session = await createSessionFromFile(file, { executionProviders: options.executionProviders });
  try {
    const ort = session.inferenceSession as unknown as { inputMetadata?: ReadonlyArray<{ shape?: ReadonlyArray<number | string> }> };
    const inputShape = ort.inputMetadata?.[0]?.shape;
    const fixed = (value: number | string | undefined) => (typeof value === 'number' && value > 0 ? value : undefined);
    const inputHeight = fixed(inputShape?.[2]) ?? options.inputHeight ?? 224;
    const inputWidth = fixed(inputShape?.[3]) ?? options.inputWidth ?? 224;
    if (session.inputNames.length !== 1 || session.outputNames.length < 1) {
      throw new ModelLoadError({ message: `classifier ${name} has ${session.inputNames.length} inputs and ${session.outputNames.length} outputs; one image input [1, 3, H, W] and a score output [1, classes] are expected`, path: name, stepName });
    }
    const classNames = options.classNames ? [...options.classNames] : await classNamesOfModelFile(file, name);
    const preset = { ...classifierInput, ...options.input, width: inputWidth, height: inputHeight };

    const scores = async (image: VadImage): Promise<Float32Array> => {
      const prepared = await prepareDetectorInput(image, preset);
      const results = await session.run({ [session.inputNames[0]!]: { data: prepared.tensor, dims: [1, 3, inputHeight, inputWidth] } });
      const output = results[session.outputNames[0]!]!;
      if (!(output.data instanceof Float32Array)) throw new ModelLoadError({ message: `output ${session.outputNames[0]} of ${name} is not float32`, path: name, stepName });
      if (output.data.length !== (output.dims[output.dims.length - 1] ?? 0)) {
        throw new ModelLoadError({ message: `classifier ${name} outputs [${output.dims.join(', ')}]; scores [1, classes] are expected`, path: name, stepName });
      }
      if (classNames && classNames.length !== output.data.length) {
        throw new InvalidInputError({
          message: `${options.classNames ? 'class_names has' : `the class names in ${name}'s metadata have`} ${classNames.length} entries, but the model scores ${output.data.length} classes`,
          stepName,
          property: 'class_names',
          path: name,
        });
      }
      return output.data;
    };
    const nameOf = (id: number) => classNames?.[id] ?? String(id);
    const envelope = (image: VadImage) => ({ image: { width: image.width, height: image.height }, prediction_type: 'classification' as const, parent_id: image.id });

    return {
      get classNames() {
        return classNames ?? [];
      },
      inputWidth,
      inputHeight,
      async classify(image) {
        const raw = await scores(image);
        const probabilities = isDistribution(raw) ? raw : softmax(raw);
        const predictions: ClassScore[] = [...probabilities].map((confidence, id) => ({ class: nameOf(id), class_id: id, confidence }));
        predictions.sort((a, b) => b.confidence - a.confidence || a.class_id - b.class_id);
        return { ...envelope(image), predictions, top: predictions[0]?.class ?? '', confidence: predictions[0]?.confidence ?? 0 };
      },
      async classifyMultiLabel(image, { confidence = 0.5 } = {}) {
        const raw = await scores(image);
        const probabilities = raw.every((v) => v >= 0 && v <= 1) ? raw : raw.map(sigmoid);
        const predictions: MultiLabelClassification['predictions'] = {};
        const predicted: ClassScore[] = [];
        probabilities.forEach((score, id) => {
          predictions[nameOf(id)] = { confidence: score, class_id: id };
          if (score >= confidence) predicted.push({ class: nameOf(id), class_id: id, confidence: score });
        });
        predicted.sort((a, b) => b.confidence - a.confidence || a.class_id - b.class_id);
        return { ...envelope(image), predictions, predicted_classes: predicted.map((p) => p.class) };
      },
      dispose: () => session.dispose(),
    };
  } catch (error) {
    await session.dispose();
    throw error;
  }
}

/** True when the scores are already probabilities summing to 1 (a model exported with its softmax). */
function isDistribution(scores: Float32Array): boolean {
  let sum = 0;
  for (const v of scores) {
    if (v < 0 || v > 1) return false;
    sum += v;
  }
  return Math.abs(sum - 1) < 1e-3;
}

export function softmax(logits: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  const out = new Float32Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i]! - max);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / sum;
  return out;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
