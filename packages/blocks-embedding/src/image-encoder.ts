import { InvalidInputError, ModelLoadError } from '@vad/core';
import { createSession, describeModelSource, loadBackbone, preprocessImages, type ImageInput, type ModelSource, type Normalization, type TensorValue } from '@vad/models';
import { l2Normalize } from './embedding-math.js';

/**
 * Image encoders behind the embedding block: the offline default backbone (pooled features of an
 * ImageNet network imported from an npm package by @vad/models), or any ONNX image encoder the user
 * brings — a CLIP or Perception Encoder vision export (`pixel_values [N,3,S,S] → image_embeds [N,D]`).
 * Every embedding comes out L2-normalised.
 */
export type BackboneName = 'inception_v3' | 'mobilenet_v2';
export const backboneNames = ['inception_v3', 'mobilenet_v2'] as const;

/** How an encoder family expects its pixels: square input size, resize, normalisation. */
export interface EncoderPreprocessing {
  readonly size: number;
  readonly resize: 'center-crop' | 'stretch';
  readonly normalization: Normalization;
  readonly kernel: 'cubic' | 'linear';
}

/**
 * - `clip`: OpenAI CLIP / open_clip — shorter side to 224 (bicubic), centre crop 224, CLIP mean/std.
 * - `perception_encoder`: Meta's PE-Core — the same geometry, mean = std = 0.5 (x/127.5 − 1).
 */
export const encoderPresets = {
  clip: { size: 224, resize: 'center-crop', normalization: 'clip', kernel: 'cubic' },
  perception_encoder: { size: 224, resize: 'center-crop', normalization: 'symmetric', kernel: 'cubic' },
} as const satisfies Record<string, EncoderPreprocessing>;
export type EncoderPreset = keyof typeof encoderPresets;

export type EncoderConfig =
  | { readonly kind: 'backbone'; readonly backbone: BackboneName; readonly size?: number }
  | {
      readonly kind: 'onnx';
      readonly source: ModelSource;
      readonly preset: EncoderPreset;
      /** Square input size; default the preset's (224). */
      readonly size?: number;
      /** Default: the model's first input. */
      readonly inputName?: string;
      /** Default: `image_embeds` when the model has it, else its first output. */
      readonly outputName?: string;
    };

export interface EncoderOptions {
  readonly cacheDir?: string;
  readonly executionProviders?: readonly string[];
  readonly stepName?: string;
}

export interface ImageEncoder {
  /** What embeds, for messages and benchmarks (e.g. `onnx clip 224 /models/clip-vision.onnx`). */
  readonly description: string;
  /** Input size the images are brought to. */
  readonly size: number;
  /** Images → one L2-normalised Float32Array each. */
  embed(images: readonly ImageInput[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/** Rows of a [N, D] tensor, or the spatial means of a [N, C, H, W] map, each L2-normalised. */
export function embeddingsFromOutput(output: TensorValue, where: { stepName?: string; name: string }): Float32Array[] {
  const data = output.data;
  if (!(data instanceof Float32Array)) {
    throw new InvalidInputError({ message: `${where.name}: the encoder's output is ${data.constructor.name}, expected float32`, stepName: where.stepName });
  }
  const dims = output.dims;
  const source = { stepName: where.stepName, property: 'embedding' };
  if (dims.length === 2) {
    const [count, width] = dims as [number, number];
    return Array.from({ length: count }, (_, row) => l2Normalize(data.subarray(row * width, (row + 1) * width), source));
  }
  if (dims.length === 4) {
    const [count, channels, height, width] = dims as [number, number, number, number];
    const area = height * width;
    return Array.from({ length: count }, (_, item) => {
      const pooled = new Float32Array(channels);
      for (let channel = 0; channel < channels; channel++) {
        const offset = (item * channels + channel) * area;
        let total = 0;
        for (let i = 0; i < area; i++) total += data[offset + i]!;
        pooled[channel] = total / area;
      }
      return l2Normalize(pooled, source);
    });
  }
  throw new InvalidInputError({
    message: `${where.name}: the encoder's output has dims [${dims.join(', ')}]; an image embedding needs [N, D] (or a [N, C, H, W] map to pool). Name the right output with output_name`,
    stepName: where.stepName,
    property: 'model',
  });
}

async function createBackboneEncoder(config: Extract<EncoderConfig, { kind: 'backbone' }>, options: EncoderOptions): Promise<ImageEncoder> {
  const backbone = await loadBackbone(config.backbone, {
    ...(options.cacheDir !== undefined && { cacheDir: options.cacheDir }),
    ...(options.executionProviders && { session: { executionProviders: options.executionProviders } }),
  });
  const size = config.size ?? backbone.inputSize;
  return {
    description: `${config.backbone} pooled features at ${size} px`,
    size,
    async embed(images) {
      const { pooled } = await backbone.run(images, { size });
      return embeddingsFromOutput(pooled, { stepName: options.stepName, name: config.backbone });
    },
    dispose: () => backbone.dispose(),
  };
}

async function createOnnxEncoder(config: Extract<EncoderConfig, { kind: 'onnx' }>, options: EncoderOptions): Promise<ImageEncoder> {
  const preset = encoderPresets[config.preset];
  const size = config.size ?? preset.size;
  const name = describeModelSource(config.source);
  const session = await createSession(config.source, { cacheDir: options.cacheDir, executionProviders: options.executionProviders });
  const inputName = config.inputName ?? session.inputNames[0]!;
  const outputName = config.outputName ?? (session.outputNames.includes('image_embeds') ? 'image_embeds' : session.outputNames[0]!);
  for (const [wanted, available, property] of [
    [inputName, session.inputNames, 'input_name'],
    [outputName, session.outputNames, 'output_name'],
  ] as const) {
    if (!available.includes(wanted)) {
      await session.dispose();
      throw new ModelLoadError({
        message: `${name} has no ${property === 'input_name' ? 'input' : 'output'} "${wanted}" (it has: ${available.join(', ')})`,
        stepName: options.stepName,
        property: 'model',
        path: name,
      });
    }
  }
  return {
    description: `onnx ${config.preset} ${size} px ${name}`,
    size,
    async embed(images) {
      const { tensor } = await preprocessImages(images, {
        width: size,
        height: size,
        resize: preset.resize,
        normalization: preset.normalization,
        kernel: preset.kernel,
        channelOrder: 'rgb',
        layout: 'nchw',
      });
      let outputs: Record<string, TensorValue>;
      try {
        outputs = await session.run({ [inputName]: tensor }, { outputs: [outputName] });
      } catch (cause) {
        throw new ModelLoadError({
          message: `${name} rejected a [${tensor.dims.join(', ')}] input "${inputName}" (${(cause as Error).message}); check the preset and size (the model may need another input size)`,
          stepName: options.stepName,
          property: 'model',
          path: name,
          cause,
        });
      }
      return embeddingsFromOutput(outputs[outputName]!, { stepName: options.stepName, name });
    },
    dispose: () => session.dispose(),
  };
}

export function createImageEncoder(config: EncoderConfig, options: EncoderOptions = {}): Promise<ImageEncoder> {
  return config.kind === 'backbone' ? createBackboneEncoder(config, options) : createOnnxEncoder(config, options);
}
