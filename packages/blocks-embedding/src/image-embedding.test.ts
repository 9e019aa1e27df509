import { readFile } from 'node:fs/promises';
import { createBlockRegistry, createWorkflow, defineBlock, describeBlock, field, VadImage, type WorkflowDefinition } from '@vad/core';
import { preprocessImages } from '@vad/models';
import { sharedPath } from '@vad/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { patchEncoderReference, writeChannelMeanEncoder, writePatchEncoder } from './__fixtures__/test-encoders.js';
import { cosineSimilarity, embeddingBlocks, imageEmbedding, vadBlocks } from './index.js';

const registry = createBlockRegistry(embeddingBlocks());

function embeddingWorkflow(step: Record<string, unknown>, type = 'vad/image_embedding@v1') {
  const definition: WorkflowDefinition = {
    version: '1.0',
    inputs: [{ type: 'WorkflowImage', name: 'image' }],
    steps: [{ type, name: 'embed', data: '$inputs.image', ...step }],
    outputs: [{ type: 'JsonField', name: 'embedding', selector: '$steps.embed.embedding' }],
  };
  return createWorkflow(definition, { registry });
}

function solid(rgb: [number, number, number], width = 320, height = 240): VadImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return VadImage.fromPixels({ data, width, height });
}

function norm(vector: Float32Array): number {
  return Math.hypot(...vector);
}

const workflows: Array<{ dispose(): Promise<void> }> = [];
afterAll(async () => {
  for (const workflow of workflows) await workflow.dispose();
});

describe('image embedding block description', () => {
  it("answers to Roboflow's CLIP name and describes its model choices", () => {
    expect(vadBlocks()).toEqual([imageEmbedding, cosineSimilarity]);
    expect(registry.get('roboflow_core/clip@v1')).toBe(imageEmbedding);
    expect(registry.get('roboflow_core/perception_encoder@v1')).toBe(imageEmbedding);
    expect(registry.get('roboflow_core/cosine_similarity@v1')).toBe(cosineSimilarity);
    const described = describeBlock(imageEmbedding);
    expect(described.block_schema.required).toEqual(['type', 'name', 'data']);
    expect(described.outputs_manifest).toEqual([{ name: 'embedding', kind: [{ name: 'embedding' }] }]);
    const model = JSON.stringify(described.block_schema.properties.model);
    for (const word of ['inception_v3', 'mobilenet_v2', 'perception_encoder', 'sha256']) expect(model).toContain(word);
  });
});

describe('image embedding with a user ONNX encoder (CLIP vision signature)', () => {
  it('applies the CLIP preset (mean/std on x/255) and L2-normalises: hand-computed for a solid colour', async () => {
    const workflow = embeddingWorkflow({ model: { source: writeChannelMeanEncoder(), preset: 'clip' } });
    workflows.push(workflow);
    const { outputs } = await workflow.run({ inputs: { image: solid([200, 100, 50]) } });
    const embedding = outputs[0]!.embedding as Float32Array;
    expect(embedding).toBeInstanceOf(Float32Array);
    // (x/255 − mean)/std per channel, then / |·|.
    const raw = [(200 / 255 - 0.48145466) / 0.26862954, (100 / 255 - 0.4578275) / 0.26130258, (50 / 255 - 0.40821073) / 0.27577711];
    const length = Math.hypot(...raw);
    expect(Array.from(embedding)).toEqual(raw.map((value) => expect.closeTo(value / length, 4)));
  });

  it("applies the Perception Encoder preset (mean = std = 0.5) and a custom size", async () => {
    const workflow = embeddingWorkflow({ model: { source: writeChannelMeanEncoder(336), preset: 'perception_encoder' }, size: 336 });
    workflows.push(workflow);
    const { outputs } = await workflow.run({ inputs: { image: solid([255, 0, 51]) } });
    const raw = [1, -1, 51 / 127.5 - 1];
    const length = Math.hypot(...raw);
    expect(Array.from(outputs[0]!.embedding as Float32Array)).toEqual(raw.map((value) => expect.closeTo(value / length, 4)));
  });

  const photos = sharedPath('datasets/photos');
  describe.skipIf(!photos)('on real photos', () => {
    it('matches the encoder computed directly on the centre-cropped, CLIP-normalised pixels', async () => {
      const { file, weights } = writePatchEncoder();
      const workflow = embeddingWorkflow({ model: { source: { path: file }, preset: 'clip' } }, 'roboflow_core/clip@v1');
      workflows.push(workflow);
      const dog = await VadImage.fromBytes(await readFile(`${photos}/dog.jpg`));
      const eagle = await VadImage.fromBytes(await readFile(`${photos}/eagle.jpg`));
      const { outputs } = await workflow.run({ inputs: { image: [dog, eagle, dog] } });
      const [first, second, third] = outputs.map((record) => record.embedding as Float32Array);
      expect(first!.length).toBe(32);
      expect(norm(first!)).toBeCloseTo(1, 5);
      expect(Array.from(third!)).toEqual(Array.from(first!));
      const { tensor } = await preprocessImages([dog], { width: 224, height: 224, resize: 'center-crop', normalization: 'clip', kernel: 'cubic' });
      const reference = patchEncoderReference(tensor.data, 224, weights);
      const length = norm(reference);
      expect(Array.from(first!)).toEqual(Array.from(reference, (value) => expect.closeTo(value / length, 4)));
      // Two different photos are not the same direction.
      let product = 0;
      for (let i = 0; i < 32; i++) product += first![i]! * second![i]!;
      expect(product).toBeLessThan(0.9999);
    });
  });

  it('embeds each crop when data comes from a step that adds a level', async () => {
    // A test slicer: the left and right halves of the image, as a detection slicer or crop step would give.
    const halves = defineBlock({
      specificationVersion: 'v1',
      type: 'test/halves@v1',
      title: 'Halves',
      description: 'Left and right halves',
      manifest: { image: field.image() },
      outputs: { crops: { kinds: ['image'] } },
      dimensionality: 'expand',
      create: () => ({
        async run({ image }) {
          const half = Math.floor(image.width / 2);
          return { crops: [await image.crop({ x: 0, y: 0, width: half, height: image.height }), await image.crop({ x: half, y: 0, width: half, height: image.height })] };
        },
      }),
    });
    const workflow = createWorkflow(
      {
        version: '1.0',
        inputs: [{ type: 'WorkflowImage', name: 'image' }],
        steps: [
          { type: 'test/halves@v1', name: 'halves', image: '$inputs.image' },
          { type: 'roboflow_core/clip@v1', name: 'embed', data: '$steps.halves.crops', model: { source: writeChannelMeanEncoder() } },
        ],
        outputs: [{ type: 'JsonField', name: 'embeddings', selector: '$steps.embed.embedding' }],
      },
      { registry: createBlockRegistry([...embeddingBlocks(), halves]) },
    );
    workflows.push(workflow);
    const data = new Uint8Array(200 * 100 * 3);
    for (let i = 0; i < 200 * 100; i++) data.set((i % 200) < 100 ? [255, 0, 0] : [0, 0, 255], i * 3);
    const { outputs } = await workflow.run({ inputs: { image: VadImage.fromPixels({ data, width: 200, height: 100 }) } });
    const [left, right] = outputs[0]!.embeddings as Float32Array[];
    const expected = (rgb: number[]) => {
      const raw = [(rgb[0]! / 255 - 0.48145466) / 0.26862954, (rgb[1]! / 255 - 0.4578275) / 0.26130258, (rgb[2]! / 255 - 0.40821073) / 0.27577711];
      const length = Math.hypot(...raw);
      return raw.map((value) => expect.closeTo(value / length, 4));
    };
    expect(Array.from(left!)).toEqual(expected([255, 0, 0]));
    expect(Array.from(right!)).toEqual(expected([0, 0, 255]));
  });

  it('reads another output by name and pools a [N, C, H, W] map', async () => {
    const { file } = writePatchEncoder(5);
    const workflow = embeddingWorkflow({ model: { source: file, output_name: 'last_hidden_state' } });
    workflows.push(workflow);
    const { outputs } = await workflow.run({ inputs: { image: solid([10, 200, 30]) } });
    const embedding = outputs[0]!.embedding as Float32Array;
    expect(embedding.length).toBe(24);
    expect(norm(embedding)).toBeCloseTo(1, 5);
  });

  it('explains a size the model cannot take, an unknown output and a missing file', async () => {
    const { file } = writePatchEncoder(3);
    const tooBig = embeddingWorkflow({ model: { source: file }, size: 256 });
    workflows.push(tooBig);
    await expect(tooBig.run({ inputs: { image: solid([1, 2, 3]) } })).rejects.toThrow(/rejected a \[1, 3, 256, 256\] input "pixel_values"/);
    const wrongOutput = embeddingWorkflow({ model: { source: file, output_name: 'logits' } });
    workflows.push(wrongOutput);
    await expect(wrongOutput.run({ inputs: { image: solid([1, 2, 3]) } })).rejects.toThrow(/has no output "logits" \(it has: last_hidden_state, image_embeds\)/);
    const missing = embeddingWorkflow({ model: { source: '/nonexistent/clip-vision.onnx' } });
    workflows.push(missing);
    await expect(missing.run({ inputs: { image: solid([1, 2, 3]) } })).rejects.toThrow(/could not be created: .*nonexistent\/clip-vision\.onnx/);
  });

  it('rejects bad model properties when the workflow compiles', () => {
    expect(() => embeddingWorkflow({ model: 'resnet50' })).toThrow(/step "embed", property "model": invalid value/);
    expect(() => embeddingWorkflow({ model: { source: { url: 'https://example.com/m.onnx', sha256: 'abc' } } })).toThrow(/property "model"/);
    expect(() => embeddingWorkflow({ model: { source: 'm.onnx', preset: 'siglip' } })).toThrow(/property "model"/);
  });

  it('reports text input clearly and warns once that a Roboflow CLIP version is not used', async () => {
    const definition: WorkflowDefinition = {
      version: '1.0',
      inputs: [
        { type: 'WorkflowImage', name: 'image' },
        { type: 'WorkflowParameter', name: 'prompt', kind: ['string'] },
      ],
      steps: [
        { type: 'roboflow_core/clip@v1', name: 'image_clip', data: '$inputs.image', version: 'ViT-B-32', model: { source: writeChannelMeanEncoder() } },
        { type: 'roboflow_core/clip@v1', name: 'text_clip', data: '$inputs.prompt', model: { source: writeChannelMeanEncoder() } },
      ],
      outputs: [{ type: 'JsonField', name: 'image', selector: '$steps.image_clip.embedding' }],
    };
    const workflow = createWorkflow(
      { ...definition, steps: [definition.steps[0]!], inputs: [definition.inputs[0]!] },
      { registry },
    );
    workflows.push(workflow);
    const first = await workflow.run({ inputs: { image: solid([9, 9, 9]) } });
    const second = await workflow.run({ inputs: { image: solid([9, 9, 9]) } });
    expect(first.warnings).toEqual([expect.stringMatching(/image_clip: version "ViT-B-32" names a Roboflow-hosted model.*onnx clip 224 px/)]);
    expect(second.warnings).toEqual([]);
    const withText = createWorkflow(definition, { registry });
    workflows.push(withText);
    await expect(withText.run({ inputs: { image: solid([9, 9, 9]), prompt: 'a photo of a dog' } })).rejects.toThrow(/got text; this block embeds images only/);
  });
});
