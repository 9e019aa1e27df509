import { defineBlock, field, InvalidInputError, VadImage, z } from '@vad/core';
import type { ModelSource } from '@vad/models';
import { backboneNames, createImageEncoder, encoderPresets, type EncoderConfig, type EncoderPreset, type ImageEncoder } from './image-encoder.js';

const modelSource = z.union([
  z.string().min(1),
  z.object({ path: z.string().min(1) }).strict(),
  z.object({ url: z.string().url(), sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'a sha256 is 64 hex digits') }).strict(),
  z.object({ package: z.string().min(1), file: z.string().min(1) }).strict(),
]);

const onnxEncoder = z
  .object({
    source: modelSource,
    preset: z.enum(Object.keys(encoderPresets) as [EncoderPreset, ...EncoderPreset[]]).default('clip'),
    input_name: z.string().optional(),
    output_name: z.string().optional(),
  })
  .strict();

/** The `model` property: a default backbone by name, or a user ONNX encoder. */
export const imageEncoderSchema = z.union([z.enum(backboneNames), onnxEncoder]).default('inception_v3');
export type ImageEncoderProperty = z.infer<typeof imageEncoderSchema>;

/** Turns the block's `model` and `size` properties into an encoder configuration. */
export function encoderConfig(model: ImageEncoderProperty | undefined, size: number | undefined): EncoderConfig {
  const chosen = model ?? 'inception_v3';
  if (typeof chosen === 'string') return { kind: 'backbone', backbone: chosen, ...(size !== undefined && { size }) };
  return {
    kind: 'onnx',
    source: chosen.source as ModelSource,
    preset: chosen.preset ?? 'clip',
    ...(size !== undefined && { size }),
    ...(chosen.input_name !== undefined && { inputName: chosen.input_name }),
    ...(chosen.output_name !== undefined && { outputName: chosen.output_name }),
  };
}

/**
 * Image Embedding: one L2-normalised Float32Array (kind `embedding`) per image. By default the
 * pooled features of the offline default backbone; or a user's CLIP / Perception Encoder ONNX
 * export. Answers to Roboflow's CLIP and Perception Encoder block names (same properties: `data`,
 * `version`) so their definitions compile; their `version` names Roboflow-hosted weights, which
 * cannot be fetched here; it is accepted and reported.
 */
export const imageEmbedding = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/image_embedding@v1',
  aliases: ['roboflow_core/clip@v1', 'roboflow_core/perception_encoder@v1'],
  title: 'Image Embedding',
  description:
    'Embeds an image as an L2-normalised vector: the offline default backbone (InceptionV3 or MobileNetV2 pooled features) or a CLIP / Perception Encoder ONNX export.',
  manifest: {
    data: field.selector(['image', 'string'], { description: 'The image to embed (text is not supported: no text encoder is available offline)' }),
    model: field.literal(imageEncoderSchema, {
      description: "'inception_v3' (default) or 'mobilenet_v2', or {source, preset: 'clip' | 'perception_encoder', input_name?, output_name?} for an ONNX image encoder",
    }),
    size: field.literal(z.number().int().min(32).max(1024).optional(), {
      description: 'Square input size (default: 299 for inception_v3, 224 for mobilenet_v2 and the presets)',
    }),
    version: field.parameter(z.string().optional(), ['string'], {
      description: "Roboflow's CLIP or Perception Encoder variant (e.g. ViT-B-32, PE-Core-L14-336). Accepted for compatibility; set model to an ONNX export to embed with it",
    }),
  },
  outputs: { embedding: { kinds: ['embedding'] } },
  create: async ({ stepName, properties, host }) => {
    const config = encoderConfig(properties.model, properties.size);
    const encoder: ImageEncoder = await createImageEncoder(config, {
      stepName,
      ...(typeof host.cacheDir === 'string' && { cacheDir: host.cacheDir }),
      ...(host.executionProviders && { executionProviders: host.executionProviders }),
    });
    let versionReported = false;
    return {
      async run({ data, version }, context) {
        if (typeof data === 'string') {
          throw new InvalidInputError({
            message: `step "${stepName}": got text; this block embeds images only (CLIP's text encoder is not available offline)`,
            stepName,
            property: 'data',
          });
        }
        if (!VadImage.isImage(data)) throw new InvalidInputError({ message: `step "${stepName}": expected an image`, stepName, property: 'data' });
        if (version !== undefined && !versionReported) {
          versionReported = true;
          context.warn(`version "${version}" names a Roboflow-hosted model (CLIP / Perception Encoder weights), which cannot be fetched here; embedding with ${encoder.description} instead`);
        }
        const [embedding] = await encoder.embed([data]);
        return { embedding };
      },
      dispose: () => encoder.dispose(),
    };
  },
});
