import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestServer, type TestServer } from './start-server.js';

/** `pnpm start` on a fresh machine: the demo model is fitted in the background, so the first demo call works. */
describe('the demo model on first start', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ fitDemoOnStart: true });
  });
  afterAll(() => server.close());

  it('is being fitted right after start, and the web page follows that fit instead of starting another', async () => {
    const demo = (await (await fetch(`${server.base}/vad/demo`)).json()) as { model_ready: boolean; fitting: { job_id: string } | null };
    expect(demo.model_ready).toBe(false);
    expect(demo.fitting?.job_id).toEqual(expect.any(String));
    const followed = (await postJson(`${server.base}/vad/demo/fit`, {})).body as { job_id: string };
    expect(followed.job_id).toBe(demo.fitting!.job_id);
  });

  it('then runs the bundled PatchCore inspection workflow, flagging a defective plate and passing a good one', async () => {
    await expect.poll(async () => ((await (await fetch(`${server.base}/vad/demo`)).json()) as { model_ready: boolean }).model_ready, { timeout: 120_000, interval: 500 }).toBe(true);
    const demo = (await (await fetch(`${server.base}/vad/demo`)).json()) as { fitting: unknown; test: Array<{ url: string; label: string }> };
    expect(demo.fitting).toBeNull();
    const scores: Record<string, number[]> = { good: [], defect: [] };
    const verdicts: string[] = [];
    for (const image of demo.test) {
      const png = Buffer.from(await (await fetch(`${server.base}${image.url}`)).arrayBuffer());
      const { status, body } = await postJson(`${server.base}/examples/workflows/patchcore-inspection`, { inputs: { image: { type: 'base64', value: png.toString('base64') } } });
      expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
      scores[image.label === 'good' ? 'good' : 'defect']!.push(body.outputs[0].score);
      verdicts.push(`${image.label}:${body.outputs[0].is_anomalous ? 'anomalous' : 'normal'}`);
    }
    // Every defective plate scores above every good one (the demo set's defects are plain to see) …
    expect(Math.min(...scores.defect!)).toBeGreaterThan(Math.max(...scores.good!));
    // … and the model's own threshold says so: the first plate a newcomer clicks gets the right verdict.
    expect(verdicts).toEqual(demo.test.map((image) => `${image.label}:${image.label === 'good' ? 'normal' : 'anomalous'}`));
    const info = JSON.parse(readFileSync(`${server.modelsDir}/demo/vad-model.json`, 'utf8')) as { images: number };
    expect(info.images).toBe(16);
  });

  it('is not fitted again when the server restarts with the model in place', async () => {
    const again = await startTestServer({ fitDemoOnStart: true, modelsDir: server.modelsDir });
    try {
      const demo = (await (await fetch(`${again.base}/vad/demo`)).json()) as { model_ready: boolean; fitting: unknown };
      expect(demo).toMatchObject({ model_ready: true, fitting: null });
    } finally {
      await again.close();
    }
  });
});
