import { coreBlocks, createBlockRegistry, createWorkflow, VadImage, type Detections, type WorkflowDefinition } from '@vad/core';
import { renderText, type DrawnWord } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { ocrBlocks } from '../src/index.js';

const registry = createBlockRegistry([...coreBlocks(), ...ocrBlocks()]);

/** One OCR step on the input image, every output named as the step gives it. */
function ocrDefinition(step: Record<string, unknown>): WorkflowDefinition {
  return {
    version: '1.0',
    inputs: [{ type: 'WorkflowImage', name: 'image' }],
    steps: [{ name: 'ocr', image: '$inputs.image', ...step } as unknown as WorkflowDefinition['steps'][number]],
    outputs: ['result', 'predictions', 'parent_id', 'root_parent_id', 'prediction_type'].map((name) => ({ type: 'JsonField', name, selector: `$steps.ocr.${name}` })),
  };
}

async function runOnce(definition: WorkflowDefinition, image: VadImage) {
  const workflow = createWorkflow(definition, { registry });
  try {
    return (await workflow.run({ inputs: { image } })).outputs[0]!;
  } finally {
    await workflow.dispose();
  }
}

/** The union box of drawn words, as a detection's centre and size. */
function unionOf(words: DrawnWord[]) {
  const left = Math.min(...words.map((w) => w.left)), right = Math.max(...words.map((w) => w.right));
  const top = Math.min(...words.map((w) => w.top)), bottom = Math.max(...words.map((w) => w.bottom));
  return { x: (left + right) / 2, y: (top + bottom) / 2, width: right - left, height: bottom - top };
}

function expectNear(actual: { x: number; y: number; width: number; height: number }, expected: { x: number; y: number; width: number; height: number }, tolerance: number) {
  for (const key of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(actual[key] - expected[key]), key).toBeLessThanOrEqual(tolerance);
}

describe('OCRModel (roboflow_core/ocr_model@v1)', () => {
  it('reads a label: the text, a detection per word whose class is the word, and the image lineage', async () => {
    const drawn = await renderText({ width: 640, height: 160, background: '#f4f1e8', texts: [{ text: 'LOT 42A7', left: 40, baseline: 106, size: 72, color: '#202020' }] });
    const image = await VadImage.fromBytes(drawn.png);
    const out = await runOnce(ocrDefinition({ type: 'OCRModel' }), image);
    expect(out.result).toBe('LOT 42A7');
    expect(out.prediction_type).toBe('ocr');
    expect(out.parent_id).toBe(image.id);
    expect(out.root_parent_id).toBe(image.id);
    const predictions = out.predictions as Detections;
    expect(predictions.image).toEqual({ width: 640, height: 160 });
    expect(predictions.predictions.map((p) => p.class)).toEqual(['LOT', '42A7']);
    predictions.predictions.forEach((p, index) => {
      expectNear(p, unionOf([drawn.words[index]!]), 3);
      expect(p.class_id).toBe(0);
      expect(p.confidence).toBeGreaterThan(0.8);
      expect(p.parent_id).toBe(image.id);
    });
  });

  it('answers to roboflow_core/ocr_model@v1 with the image under "images"', async () => {
    const drawn = await renderText({ width: 400, height: 100, background: '#ffffff', texts: [{ text: 'SN 0815', left: 20, baseline: 70, size: 48, color: '#000000' }] });
    const definition = ocrDefinition({ type: 'roboflow_core/ocr_model@v1' });
    const step = definition.steps[0] as Record<string, unknown>;
    delete step.image;
    step.images = '$inputs.image';
    expect((await runOnce(definition, await VadImage.fromBytes(drawn.png))).result).toBe('SN 0815');
  });

  it('leaves out words under its confidence (vad only): at 1 nothing is sure enough', async () => {
    const drawn = await renderText({ width: 400, height: 100, background: '#ffffff', texts: [{ text: 'SN 0815', left: 20, baseline: 70, size: 48, color: '#000000' }] });
    const out = await runOnce(ocrDefinition({ type: 'OCRModel', confidence: 1 }), await VadImage.fromBytes(drawn.png));
    expect(out.result).toBe('');
    expect((out.predictions as Detections).predictions).toEqual([]);
  });

  it('refuses an empty image, naming the step and the property', async () => {
    const empty = VadImage.fromPixels({ data: new Uint8Array(0), width: 0, height: 0 });
    await expect(runOnce(ocrDefinition({ type: 'OCRModel' }), empty)).rejects.toThrow(/step "ocr", property "images": the image is empty \(0×0 pixels\)/);
  });
});

describe('EasyOCR (roboflow_core/easy_ocr@v1)', () => {
  it("reads a 1280×720 frame: a box per piece of text (close words merged, as EasyOCR's), over where the words were drawn", async () => {
    const drawn = await renderText({
      width: 1280,
      height: 720,
      background: '#d8dde3',
      texts: [
        { text: 'BATCH 2024-11', left: 100, baseline: 200, size: 48, color: '#111111' },
        { text: 'EXP 03/27', left: 700, baseline: 500, size: 40, color: '#222222' },
      ],
    });
    const image = await VadImage.fromBytes(drawn.png);
    const out = await runOnce(ocrDefinition({ type: 'roboflow_core/easy_ocr@v1', language: 'English', quantize: false }), image);
    expect(out.result).toBe('BATCH 2024-11 EXP 03/27');
    const predictions = (out.predictions as Detections).predictions;
    expect(predictions.map((p) => p.class)).toEqual(['BATCH 2024-11', 'EXP 03/27']);
    expectNear(predictions[0]!, unionOf(drawn.words.slice(0, 2)), 3);
    expectNear(predictions[1]!, unionOf(drawn.words.slice(2)), 3);
    expect(out.prediction_type).toBe('ocr');
  });

  it('reads light text on a dark plate', async () => {
    const drawn = await renderText({ width: 640, height: 160, background: '#1a1a1a', texts: [{ text: 'SN 0815-3321-X', left: 30, baseline: 100, size: 56, color: '#f0f0f0' }] });
    const out = await runOnce(ocrDefinition({ type: 'EasyOCR' }), await VadImage.fromBytes(drawn.png));
    expect((out.predictions as Detections).predictions.map((p) => p.class)).toEqual(['SN 0815-3321-X']);
  });

  it('refuses a language its manifest does not list, naming the step and the property', () => {
    expect(() => createWorkflow(ocrDefinition({ type: 'EasyOCR', language: 'Klingon' }), { registry })).toThrow(/step "ocr".*property "language"/);
  });

  it('fails to create a step whose language data is not installed, naming the step, the property and the package', async () => {
    const image = VadImage.fromPixels({ data: new Uint8Array(30 * 30 * 3).fill(255), width: 30, height: 30 });
    await expect(runOnce(ocrDefinition({ type: 'EasyOCR', language: 'Japanese' }), image)).rejects.toThrow(
      /step "ocr", property "language": Tesseract data for "jpn" .* install the npm package @tesseract.js-data\/jpn/,
    );
  });
});
