import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { main } from '../src/program.js';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The bin package.json names: a committed launcher, so pnpm can link it before anything is built. */
const bin = path.join(packageRoot, JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')).bin.vad);

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { print: (t) => out.push(t), error: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const folder = mkdtempSync(path.join(os.tmpdir(), 'vad-cli-'));
const workflowFile = path.join(folder, 'resize.json');
writeFileSync(
  workflowFile,
  JSON.stringify({
    version: '1.0',
    inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowParameter', name: 'size', default_value: 32 }],
    steps: [
      { type: 'vad/image_resize@v1', name: 'resize', image: '$inputs.image', width: '$inputs.size', height: '$inputs.size' },
      { type: 'roboflow_core/property_definition@v1', name: 'label', data: '$inputs.size', operations: [{ type: 'ToString' }] },
    ],
    outputs: [
      { type: 'JsonField', name: 'small', selector: '$steps.resize.image' },
      { type: 'JsonField', name: 'label', selector: '$steps.label.output' },
    ],
  }),
);
const imageFile = path.join(folder, 'input.png');
writeFileSync(imageFile, await sharp({ create: { width: 120, height: 80, channels: 3, background: '#3a7' } }).png().toBuffer());

describe('vad CLI', () => {
  it('validate accepts a good workflow and names the step, property and selector of a bad one', async () => {
    expect(await cli('validate', workflowFile)).toMatchObject({ code: 0, stdout: expect.stringMatching(/valid \(2 inputs, 2 steps, 2 outputs\)/) });
    const bad = path.join(folder, 'bad.json');
    writeFileSync(bad, readFileSync(workflowFile, 'utf8').replace('"width":"$inputs.size"', '"width":"$inputs.sise"'));
    const result = await cli('validate', bad);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/VAD_WorkflowCompileError/);
    expect(result.stderr).toMatch(/at: step resize, property width, selector \$inputs\.sise/);
    // A property Roboflow's manifest would drop, on a step under Roboflow's name: ignored and said.
    const extra = path.join(folder, 'extra.json');
    writeFileSync(extra, readFileSync(workflowFile, 'utf8').replace('"operations":', '"num_classes":3,"operations":'));
    expect(await cli('validate', extra)).toMatchObject({ code: 0, stdout: expect.stringMatching(/step "label": property "num_classes" ignored/) });
  });

  it('run writes outputs.json and output images, with parameters from --param', async () => {
    const out = path.join(folder, 'out');
    const result = await cli('run', workflowFile, '--image', imageFile, '--param', 'size=16', '--out', out);
    expect(result).toMatchObject({ code: 0 });
    const document = JSON.parse(readFileSync(path.join(out, 'outputs.json'), 'utf8'));
    expect(document.outputs[0].label).toBe('16');
    expect(document.outputs[0].small).toMatchObject({ type: 'file', width: 16, height: 16 });
    const written = await sharp(path.join(out, document.outputs[0].small.path)).metadata();
    expect([written.format, written.width, written.height]).toEqual(['jpeg', 16, 16]);
  });

  it('run reports a missing image file and a bad parameter as usage errors', async () => {
    const missing = await cli('run', workflowFile, '--image', path.join(folder, 'nope.jpg'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read image .*nope\.jpg/);
    const badParam = await cli('run', workflowFile, '--image', imageFile, '--param', 'size=huge');
    expect(badParam.code).toBe(2);
    expect(badParam.stderr).toMatch(/input "size" = "huge" is not valid for step "resize" property "width"/);
    expect((await cli('run', workflowFile, '--param', 'oops')).stderr).toMatch(/must look like name=value/);
  });

  it('fit names an unknown preset and the presets it knows, and writes nothing', async () => {
    const out = path.join(folder, 'preset.vad');
    const result = await cli('fit', '--data', path.dirname(workflowFile), '--out', out, '--preset', 'huge');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown preset "huge"; known: default, texture, fine, fast, and auto for fits/);
    const augmented = await cli('fit', '--data', path.dirname(workflowFile), '--out', out, '--augment', 'darker,sharper');
    expect(augmented.code).toBe(2);
    expect(augmented.stderr).toMatch(/unknown augmentation "sharper"; known: .*darker, brighter/);
    const exposures = await cli('fit', '--data', path.dirname(workflowFile), '--out', out, '--exposures', '0.65,bright');
    expect(exposures.code).toBe(2);
    expect(exposures.stderr).toMatch(/--exposures: "bright" is not a number/);
    expect(existsSync(out)).toBe(false);
  });

  it('calibrate names a missing model and a folder without labelled sub-folders, and writes nothing', async () => {
    const out = path.join(folder, 'calibrated.vad');
    const missing = await cli('calibrate', '--model', path.join(folder, 'none.vad'), '--data', folder, '--out', out);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs a good\/ sub-folder/);
    const hazelnut = sharedPath('datasets/mvtec_ad_reduced/hazelnut');
    if (hazelnut) {
      const noModel = await cli('calibrate', '--model', path.join(folder, 'none.vad'), '--data', hazelnut, '--out', out);
      expect(noModel.code).toBe(2);
      expect(noModel.stderr).toMatch(/anomaly model ".*none\.vad" not found/);
    }
    expect(existsSync(out)).toBe(false);
  });

  it.skipIf(!sharedPath('datasets/mvtec_ad_reduced/hazelnut'))('fit then calibrate on MVTec hazelnut prints the old and new thresholds and F1', async () => {
    const hazelnut = sharedPath('datasets/mvtec_ad_reduced/hazelnut')!;
    const model = path.join(folder, 'hazelnut.vad');
    expect((await cli('fit', '--data', hazelnut, '--out', model, '--preset', 'fast')).code).toBe(0);
    const out = path.join(folder, 'hazelnut-calibrated.vad');
    const result = await cli('calibrate', '--model', model, '--data', hazelnut, '--out', out);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/held-out-max\) → [0-9.]+ \(f1-max\) on 2 normal and 8 anomalous images: F1 (0\.[5-9]|1\.0)/);
    expect(existsSync(out)).toBe(true);
  });

  it('blocks lists the standard blocks with their Roboflow aliases', async () => {
    const { code, stdout } = await cli('blocks');
    expect(code).toBe(0);
    expect(stdout).toMatch(/vad\/identify_outliers@v1 .*roboflow_core\/identify_outliers@v1/);
    expect(stdout).toMatch(/vad\/patchcore@v1/);
    const json = JSON.parse((await cli('blocks', '--json')).stdout);
    expect(json.blocks.length).toBeGreaterThan(10);
  });

  it('the installed bin runs and exits 2 on an unknown command', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [bin, 'validate', workflowFile]);
    expect(stdout).toMatch(/valid/);
    const failure = await run(process.execPath, [bin, 'frobnicate']).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command 'frobnicate'/) });
    expect(existsSync(bin)).toBe(true);
  });

  it('validate --explain (the installed bin) lists every step with its block or why it cannot run, and exits 2 unless all run', async () => {
    const run = promisify(execFile);
    const mixed = path.join(folder, 'mixed.json');
    writeFileSync(
      mixed,
      JSON.stringify({
        version: '1.0',
        inputs: [{ type: 'WorkflowImage', name: 'image' }],
        steps: [
          { type: 'roboflow_core/roboflow_object_detection_model@v2', name: 'detector', image: '$inputs.image', model_id: 'model.onnx' },
          { type: 'roboflow_core/google_gemini@v1', name: 'gemini', images: '$inputs.image', task_type: 'unconstrained', prompt: 'Describe' },
          { type: 'roboflow_core/no_such_block@v1', name: 'mystery', data: '$steps.detector.predictions' },
          { type: 'roboflow_core/bounding_box_visualization@v1', name: 'boxes', image: '$inputs.image', predictions: '$steps.detector.predictions', thickness: 0 },
          { type: 'roboflow_core/property_definition@v1', name: 'answer', data: '$steps.gemini.output', operations: [{ type: 'ToString' }] },
        ],
        outputs: [{ type: 'JsonField', name: 'predictions', selector: '$steps.detector.predictions' }],
      }),
    );
    const failure = await run(process.execPath, [bin, 'validate', '--explain', mixed]).catch((e: { code: number; stdout: string }) => e);
    expect(failure).toMatchObject({ code: 2 });
    const lines = (failure as { stdout: string }).stdout.trim().split('\n');
    expect(lines[0]).toBe(`${mixed}: not runnable, 1 of 5 steps run in vad`);
    expect(lines[1]).toMatch(/^ {2}runs +detector +roboflow_core\/roboflow_object_detection_model@v2 → vad\/object_detection_model@v1$/);
    expect(lines[2]).toMatch(/^ {2}cloud +gemini +roboflow_core\/google_gemini@v1: a cloud block vad does not run \(Google Gemini/);
    expect(lines[3]).toMatch(/^ {2}unknown +mystery +roboflow_core\/no_such_block@v1: no vad block answers to this type$/);
    expect(lines[4]).toMatch(/^ {2}invalid +boxes +roboflow_core\/bounding_box_visualization@v1: property "thickness": invalid value 0/);
    expect(lines[5]).toMatch(/^ {2}dependency +answer +roboflow_core\/property_definition@v1: needs step "gemini", which cannot run$/);
    const { stdout } = await run(process.execPath, [bin, 'validate', '--explain', workflowFile]);
    expect(stdout).toMatch(/valid, 2 of 2 steps run in vad/);
    expect(stdout).toMatch(/runs +label +roboflow_core\/property_definition@v1 → vad\/property_definition@v1/);
  });

  it('the launcher is committed source, and says how to build when the CLI is not built', async () => {
    expect(path.relative(packageRoot, bin).split(path.sep)[0]).toBe('bin'); // not dist/, which a fresh clone lacks
    const unbuilt = mkdtempSync(path.join(os.tmpdir(), 'vad-unbuilt-'));
    mkdirSync(path.join(unbuilt, 'bin'));
    copyFileSync(bin, path.join(unbuilt, 'bin', path.basename(bin)));
    const failure = await promisify(execFile)(process.execPath, [path.join(unbuilt, 'bin', path.basename(bin)), '--help']).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('run `pnpm build`') });
  });

  it('demo writes the demo set in the MVTec layout, each defect with a mask over it, and refuses a folder in use', async () => {
    const out = path.join(folder, 'demo-set');
    const result = await cli('demo', '--out', out);
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('16 good training images') });
    expect(readdirSync(path.join(out, 'train', 'good'))).toHaveLength(16);
    expect(readdirSync(path.join(out, 'test')).sort()).toEqual(['good', 'scratch', 'spot']);
    for (const label of ['scratch', 'spot']) {
      for (const file of readdirSync(path.join(out, 'test', label))) {
        const mask = await sharp(path.join(out, 'ground_truth', label, file.replace('.png', '_mask.png'))).greyscale().raw().toBuffer();
        const marked = mask.filter((v) => v > 127).length;
        expect(marked, `${label}/${file}`).toBeGreaterThan(40); // a defect of some size …
        expect(marked / mask.length).toBeLessThan(0.05); // … but not the whole plate
        // Under the mask the plate differs from a good one far more than elsewhere.
        const image = await sharp(path.join(out, 'test', label, file)).greyscale().blur(2).raw().toBuffer();
        const good = await sharp(path.join(out, 'test', 'good', '000.png')).greyscale().blur(2).raw().toBuffer();
        let inside = 0;
        for (let i = 0; i < mask.length; i++) if (mask[i]! > 127) inside += Math.abs(image[i]! - good[i]!);
        expect(inside / marked, `${label}/${file}`).toBeGreaterThan(15);
      }
    }
    const busy = path.join(folder, 'busy');
    mkdirSync(busy);
    writeFileSync(path.join(busy, 'notes.txt'), 'mine');
    expect(await cli('demo', '--out', busy)).toMatchObject({ code: 2, stderr: expect.stringContaining('not a demo set') });
    expect(readdirSync(busy)).toEqual(['notes.txt']);
  });

  it('eval on the demo set ends with a one-line summary that metrics.json repeats', async () => {
    const report = path.join(folder, 'demo-report');
    const result = await cli('eval', '--data', path.join(folder, 'demo-set'), '--report', report);
    expect(result.code).toBe(0);
    const last = result.stdout.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^image AUROC \d\.\d{4} pixel AUROC \d\.\d{4} AUPRO \d\.\d{4}$/);
    const metrics = JSON.parse(readFileSync(path.join(report, 'metrics.json'), 'utf8'));
    expect(metrics.summary).toBe(last);
    expect(Number(last.split(' ')[2])).toBeCloseTo(metrics.imageAuroc, 4);
    expect(Number(last.split(' ')[5])).toBeCloseTo(metrics.pixelAuroc, 4);
  });
});
