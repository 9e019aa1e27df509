import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-server.js';
import { sampleJpeg } from './images.js';

/** Debian's chromium; the test fails (never skips) when it is missing under CI. */
const executablePath = process.env.VAD_CHROMIUM ?? '/usr/bin/chromium';
export const screenshotDir = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'test-results');

const thumbnail = {
  description: 'resize to a thumbnail',
  specification: {
    version: '1.0',
    inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowParameter', name: 'width', default_value: 48 }],
    steps: [{ type: 'vad/image_resize@v1', name: 'resize', image: '$inputs.image', width: '$inputs.width', height: 32 }],
    outputs: [
      { type: 'JsonField', name: 'small', selector: '$steps.resize.image' },
      { type: 'JsonField', name: 'size', selector: '$inputs.width' },
    ],
  },
};

/** Mean saturation (0–1) of an image: the heat-map colours make an overlay far more saturated than gray metal. */
async function meanSaturation(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let total = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    const max = Math.max(data[i]!, data[i + 1]!, data[i + 2]!);
    const min = Math.min(data[i]!, data[i + 1]!, data[i + 2]!);
    total += max === 0 ? 0 : (max - min) / max;
  }
  return total / (data.length / info.channels);
}

describe('the web page in headless Chromium', () => {
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let workflowsDir: string;
  let imageFile: string;

  beforeAll(async () => {
    workflowsDir = mkdtempSync(path.join(os.tmpdir(), 'vad-page-workflows-'));
    mkdirSync(path.join(workflowsDir, 'mine'));
    writeFileSync(path.join(workflowsDir, 'mine', 'thumbnail.json'), JSON.stringify(thumbnail));
    imageFile = path.join(workflowsDir, 'part.jpg');
    writeFileSync(imageFile, await sampleJpeg(120, 80));
    server = await startTestServer({ workflowsDirs: [workflowsDir, ...(await import('../src/config.js')).configFromEnv({}).workflowsDirs] });
    profile = mkdtempSync(path.join(os.tmpdir(), 'vad-chromium-profile-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
        // A synthetic camera (a moving test pattern) for the webcam test, granted without a prompt.
        '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      ],
      viewport: { width: 1280, height: 1000 },
    });
    page = await context.newPage();
    mkdirSync(screenshotDir, { recursive: true });
  });
  afterAll(async () => {
    await context?.close();
    await server?.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(workflowsDir, { recursive: true, force: true });
  });

  it('lists workflows, draws the chosen one as a graph, runs it on an uploaded image and shows the output', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.base);
    await page.waitForSelector('#workflow-select option[value="mine/thumbnail"]', { state: 'attached' });
    await page.selectOption('#workflow-select', 'mine/thumbnail');
    // The graph: 2 inputs, 1 step, 2 outputs; 3 edges into/out of the step plus width → output.
    await expect.poll(() => page.locator('#graph g.node').count()).toBe(5);
    expect(await page.locator('#graph g.node.step text').first().textContent()).toBe('resize');
    expect(await page.locator('#graph path:not(marker path)').count()).toBe(4);
    await page.fill('[data-parameter="width"]', '60');
    await page.setInputFiles('#file-input', imageFile);
    await page.waitForSelector('#run-button:not([disabled])');
    await page.click('#run-button');
    const output = page.locator('#outputs img[data-output="small"]');
    await output.waitFor();
    expect(await output.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([60, 32]);
    expect(await page.locator('#outputs pre').textContent()).toContain('"size": 60');
    await page.screenshot({ path: path.join(screenshotDir, 'run-workflow.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('streams webcam frames through the WebSocket endpoint and shows each result', async () => {
    await page.selectOption('#workflow-select', 'mine/thumbnail');
    await page.fill('[data-parameter="width"]', '48');
    await page.click('#webcam-button');
    await expect.poll(() => page.locator('#run-message').textContent(), { timeout: 60_000 }).toMatch(/^frame [1-9]\d*: /);
    const output = page.locator('#outputs img[data-output="small"]');
    expect(await output.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([48, 32]);
    await page.click('#webcam-button'); // stop
    expect(await page.locator('#webcam-button').textContent()).toBe('Use the webcam');
  });

  it('asks for the API key when the server requires one, then works with it', async () => {
    const guarded = await startTestServer({ apiKey: 'page-secret' });
    const keyed = await context.newPage();
    try {
      await keyed.goto(guarded.base);
      await keyed.waitForSelector('#api-key-box:not([hidden])');
      expect(await keyed.locator('#workflow-select option').count()).toBe(0);
      await keyed.fill('#api-key', 'page-secret');
      await keyed.locator('#api-key').dispatchEvent('change');
      await keyed.waitForSelector('#workflow-select option[value="examples/patchcore-inspection"]', { state: 'attached' });
    } finally {
      await keyed.evaluate(() => localStorage.removeItem('vadApiKey'));
      await keyed.close();
      await guarded.close();
    }
  });

  it('says what a bundled workflow needs before it can run, with the steps to provide it', async () => {
    await page.selectOption('#workflow-select', 'examples/sliced-detection');
    await page.waitForSelector('#workflow-needs:not([hidden])');
    const text = await page.locator('#workflow-needs').textContent();
    expect(text).toContain('detector.onnx');
    expect(text).toContain('format=onnx');
    await page.selectOption('#workflow-select', 'examples/embedding-outliers');
    await page.waitForSelector('#workflow-needs[hidden]', { state: 'attached' });
  });

  it('shows a workflow error in words (a PatchCore workflow whose model is not fitted)', async () => {
    await page.selectOption('#workflow-select', 'examples/patchcore-inspection');
    await page.waitForSelector('[data-model-step="patchcore"]');
    expect(await page.locator('#workflow-needs').textContent()).toContain('Fit and try the demo');
    await page.setInputFiles('#file-input', imageFile);
    await page.click('#run-button');
    await expect.poll(() => page.locator('#run-message.error').textContent()).toContain('"demo" not found');
  });

  it('fits the demo in one click and shows a heat map that finds the defect', async () => {
    await page.click('#demo-button');
    await page.waitForSelector('#demo-progress:not([hidden])');
    const overlay = page.locator('#outputs img[data-output="overlay"]');
    await overlay.waitFor({ timeout: 480_000 });
    expect(await page.locator('#demo-message').textContent()).toMatch(/fitted in [\d.]+ s/);
    expect(await page.locator('#demo-gallery img').count()).toBe(8);
    expect(await page.locator('.verdict').textContent()).toMatch(/^anomalous \(score/);
    const [width, height] = await overlay.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    expect([width, height]).toEqual([256, 256]);
    // The overlay is coloured by the map; the plain test image is gray metal.
    const overlayShot = await overlay.screenshot();
    const plainShot = await page.locator('#demo-gallery img').nth(2).screenshot();
    expect(await meanSaturation(overlayShot)).toBeGreaterThan((await meanSaturation(plainShot)) + 0.15);
    // The fitted model is listed, and a good plate is judged normal.
    await expect.poll(() => page.locator('#models li').first().textContent()).toContain('demo');
    await page.locator('#demo-gallery img[data-label="good"]').first().click();
    await expect.poll(() => page.locator('.verdict').textContent(), { timeout: 60_000 }).toMatch(/^normal/);
    await page.locator('#demo-gallery img[data-label="spot"]').first().click();
    await expect.poll(() => page.locator('.verdict').textContent(), { timeout: 60_000 }).toMatch(/^anomalous/);
    await page.screenshot({ path: path.join(screenshotDir, 'demo.png'), fullPage: true });
  }, 600_000);

  /** The first `count` of the demo's normal images, saved as files a user would pick. */
  async function downloadDemoTraining(count: number): Promise<{ folder: string; files: string[] }> {
    const demo = (await (await fetch(`${server.base}/vad/demo`)).json()) as { train: Array<{ url: string }> };
    const folder = mkdtempSync(path.join(os.tmpdir(), 'vad-normal-images-'));
    const files: string[] = [];
    for (const item of demo.train.slice(0, count)) {
      const file = path.join(folder, item.url.split('/').pop()!);
      writeFileSync(file, Buffer.from(await (await fetch(server.base + item.url)).arrayBuffer()));
      files.push(file);
    }
    return { folder, files };
  }

  it('fits a model from chosen files with a progress bar, then tries it', async () => {
    const { folder, files } = await downloadDemoTraining(6);
    await page.fill('#fit-name', 'plates-from-files');
    await page.setInputFiles('#fit-files', files);
    expect(await page.locator('#fit-count').textContent()).toBe('6 images chosen');
    await page.click('#fit-button');
    await page.waitForSelector('#fit-progress:not([hidden])');
    await page.waitForSelector('#fit-try:not([hidden])', { timeout: 480_000 });
    expect(await page.locator('#fit-message').textContent()).toMatch(/model "plates-from-files" fitted/);
    expect(await page.locator('#fit-progress').evaluate((bar: HTMLProgressElement) => bar.value)).toBe(1);
    await page.click('#fit-try');
    await expect.poll(() => page.locator('[data-model-step="patchcore"]').inputValue()).toBe('plates-from-files');
    await page.click('#run-button');
    await page.locator('#outputs img[data-output="overlay"]').waitFor({ timeout: 120_000 });
    rmSync(folder, { recursive: true, force: true });
  }, 600_000);

  it('fits with the auto preset and shows what it tried, the winner marked', async () => {
    const { folder, files } = await downloadDemoTraining(10);
    await page.fill('#fit-name', 'plates-auto');
    await page.setInputFiles('#fit-files', files);
    await page.selectOption('#fit-preset', 'auto');
    await page.click('#fit-button');
    await page.waitForSelector('#fit-selection:not([hidden])', { timeout: 480_000 });
    expect(await page.locator('#fit-selection tr').count()).toBe(1 + 4);
    expect(await page.locator('#fit-selection tr td:first-child').allTextContents()).toEqual(['default', 'default-plain', 'fit-256', 'texture']);
    for (const cell of await page.locator('#fit-selection tr td:nth-child(2)').allTextContents()) expect(Number(cell)).toBeGreaterThan(0.5);
    expect(await page.locator('#fit-selection tr.winner').count()).toBe(1);
    const winner = (await page.locator('#fit-selection tr.winner td').first().textContent())!;
    expect(await page.locator('#fit-selection caption').textContent()).toMatch(new RegExp(`^auto chose ${winner}: .*\\(2 held-out images, \\d+ synthetic defects\\)$`));
    expect(await page.locator('#fit-message').textContent()).toMatch(/model "plates-auto" fitted/);
    await page.locator('#fit-selection').screenshot({ path: path.join(os.tmpdir(), 'vad-fit-selection.png') });
    rmSync(folder, { recursive: true, force: true });
  }, 600_000);
});
