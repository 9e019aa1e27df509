import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { sharedPath } from '@vad/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestServer, type TestServer } from './start-server.js';

const yolox = sharedPath('models/yolox_nano.onnx');
const photos = sharedPath('datasets/photos');

async function photo640(): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: '#708090' } }).jpeg().toBuffer();
}

/** The bundled saved workflows: listed, and runnable (or saying clearly what they need). */
describe('bundled example workflows', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({});
  });
  afterAll(() => server.close());

  it('lists the bundled examples with their definitions', async () => {
    const { workflows } = (await (await fetch(`${server.base}/vad/workflows`)).json()) as { workflows: Array<{ workspace: string; id: string; specification: { steps: unknown[] } }> };
    const ids = workflows.map((w) => `${w.workspace}/${w.id}`);
    expect(ids).toEqual(expect.arrayContaining(['examples/sliced-detection', 'examples/patchcore-inspection']));
    for (const workflow of workflows) {
      const check = await postJson(`${server.base}/workflows/validate`, workflow.specification);
      expect(check.body, `${workflow.workspace}/${workflow.id}`).toEqual({ status: 'ok' });
    }
  });

  it('the listing names what a bundled workflow still needs on this server, with how to provide it', async () => {
    const { workflows } = (await (await fetch(`${server.base}/vad/workflows`)).json()) as { workflows: Array<{ id: string; missing: Array<{ kind: string; name: string; how: string }> }> };
    const missing = Object.fromEntries(workflows.map((w) => [w.id, w.missing]));
    expect(missing['sliced-detection']).toEqual([expect.objectContaining({ kind: 'detector', name: 'detector.onnx', how: expect.stringContaining('format=onnx') })]);
    expect(missing['sliced-detection']![0]!.how).toContain(`copy it to ${server.modelsDir}/detector.onnx`);
    expect(missing['patchcore-inspection']).toEqual([expect.objectContaining({ kind: 'anomaly_model', name: 'demo' })]);
    expect(missing['embedding-outliers']).toEqual([]);
  });

  it('sliced detection without a detector → 400 naming the missing model and how to provide it', async () => {
    const image = (await photo640()).toString('base64');
    const { status, body } = await postJson(`${server.base}/examples/workflows/sliced-detection`, { inputs: { image: { type: 'base64', value: image } } });
    expect(status).toBe(400);
    expect(body.inner_error_type).toBe('ModelLoadError');
    expect(body.message).toContain('detector.onnx');
    expect(body.message).toContain(server.modelsDir);
    expect(body.message).toContain('VAD_MODELS_DIR');
    expect(body.message).toContain('export your detector to ONNX');
    expect(body.message).not.toContain('/vad/models/fit'); // a detector is trained elsewhere, not fitted here
  });

  it('PatchCore inspection without a fitted model → 400 naming the model and how to fit one', async () => {
    const image = (await photo640()).toString('base64');
    const { status, body } = await postJson(`${server.base}/examples/workflows/patchcore-inspection`, { inputs: { image: { type: 'base64', value: image } } });
    expect(status).toBe(400);
    expect(body.message).toContain('"demo" not found');
    expect(body.message).toContain('POST /vad/models/fit');
  });

  it('embedding → identify outliers → text display warms up on the first frames, then judges each one', async () => {
    const frames = await Promise.all(['#607080', '#617181', '#5f6f7f', '#607181'].map((background) => sharp({ create: { width: 160, height: 120, channels: 3, background } }).jpeg().toBuffer()));
    const records = [];
    for (const frame of frames) {
      const { status, body } = await postJson(`${server.base}/examples/workflows/embedding-outliers`, { inputs: { image: { type: 'base64', value: frame.toString('base64') }, warmup: 3 } });
      expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
      records.push(body.outputs[0]);
    }
    // With warmup 3 the outlier window judges once it holds enough frames (Roboflow's semantics).
    expect(records.map((r) => r.warming_up)).toEqual([true, true, false, false]);
    expect(records.every((r) => typeof r.is_outlier === 'boolean' && r.percentile >= 0 && r.percentile <= 1)).toBe(true);
    // The verdict is written on the frame: the annotated image differs from the plain input.
    const annotated = await sharp(Buffer.from(records[3].annotated.value, 'base64')).raw().toBuffer({ resolveWithObject: true });
    expect([annotated.info.width, annotated.info.height]).toEqual([160, 120]);
    const plain = await sharp(frames[3]).raw().toBuffer();
    let changed = 0;
    for (let i = 0; i < plain.length; i++) if (Math.abs(plain[i]! - annotated.data[i]!) > 40) changed++;
    expect(changed).toBeGreaterThan(500);
  });

  describe.skipIf(!yolox || !photos)('with the shared YOLOX-nano model as the user\'s detector', () => {
    it('slices, detects, stitches and draws boxes, labels and a heat map', async () => {
      copyFileSync(yolox!, path.join(server.modelsDir, 'detector.onnx'));
      const listing = (await (await fetch(`${server.base}/vad/workflows`)).json()) as { workflows: Array<{ id: string; missing: unknown[] }> };
      expect(listing.workflows.find((w) => w.id === 'sliced-detection')?.missing).toEqual([]);
      const image = readFileSync(path.join(photos!, 'dog.jpg')).toString('base64');
      const { status, body } = await postJson(`${server.base}/examples/workflows/sliced-detection`, { inputs: { image: { type: 'base64', value: image }, confidence: 0.3 } });
      expect(status, JSON.stringify(body).slice(0, 400)).toBe(200);
      const [record] = body.outputs;
      const classIds = new Set(record.predictions.predictions.map((p: { class_id: number }) => p.class_id));
      expect(record.count).toBe(record.predictions.predictions.length);
      // The model carries no class names (a workflow gives them with class_names): COCO id 16 is "dog".
      expect(classIds.has(16), [...classIds].join(',')).toBe(true);
      for (const name of ['annotated', 'heatmap']) {
        const meta = await sharp(Buffer.from(record[name].value, 'base64')).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', record.predictions.image.width, record.predictions.image.height]);
      }
    });
  });
});
