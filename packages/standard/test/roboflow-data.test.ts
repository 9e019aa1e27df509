import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkflow, VadImage, type Detections, type HostContext, type WorkflowDefinition } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createStandardRegistry } from '../src/index.js';

const corpus = path.join(path.dirname(fileURLToPath(import.meta.url)), 'roboflow-corpus', 'data');
const photos = sharedPath('datasets/photos');
const models = sharedPath('models');

async function open(file: string, host: HostContext = {}) {
  const definition = JSON.parse(await readFile(path.join(corpus, file), 'utf8')) as WorkflowDefinition;
  const { registry } = await createStandardRegistry({ plugins: [] });
  return createWorkflow(definition, { registry, host: { modelsDir: models, ...host } });
}
const load = (names: string[]) => Promise.all(names.map(async (name) => VadImage.fromBytes(await readFile(path.join(photos!, name)))));
const classes = (d: unknown) => (d as Detections).predictions.map((p) => p.class);

/** A CSV reader written for these tests (RFC 4180 quoting), so the formatter is checked against something it does not share. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += c;
  }
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i]!])));
}
const pythonList = (items: string[]) => `[${items.map((item) => `'${item}'`).join(', ')}]`;

let directories: string[] = [];
afterEach(async () => {
  await Promise.all(directories.map((d) => rm(d, { recursive: true, force: true })));
  directories = [];
});
async function scratch() {
  const directory = await mkdtemp(path.join(tmpdir(), 'vad-data-'));
  directories.push(directory);
  return directory;
}

describe.skipIf(!photos || !models)('Roboflow data blocks on the real detector (corpus data/)', () => {
  it('csv_formatter: one row per image with class names as a Python list, the count, a parameter and a UTC timestamp; sinks write every prediction and one log', async () => {
    const directory = await scratch();
    const workflow = await open('detections-report-and-log.json');
    const images = await load(['dog.jpg', 'horses.jpg', 'person.jpg']);
    const records: Record<string, unknown>[] = [];
    for (let round = 0; round < 2; round++) records.push(...(await workflow.run({ inputs: { image: images, target_directory: directory } })).outputs);
    await workflow.dispose();
    expect(records).toHaveLength(6);
    for (const record of records) {
      const [row, ...rest] = parseCsv(record.csv as string);
      expect(rest).toHaveLength(0);
      expect(Object.keys(row!)).toEqual(['classes', 'boxes', 'camera', 'timestamp']);
      expect(row!.classes).toBe(pythonList(classes(record.predictions)));
      expect(Number(row!.boxes)).toBe(classes(record.predictions).length);
      expect(row!.camera).toBe('gate-1');
      expect(row!.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
      expect(Math.abs(Date.parse(row!.timestamp!.replace(/(\.\d{3})\d{3}\+00:00$/, '$1Z')) - Date.now())).toBeLessThan(120_000);
      expect(record.saved).toBe('Data saved successfully');
      expect(record.logged).toBe(false);
    }
    expect(records.every((r) => classes(r.predictions).length > 0)).toBe(true);
    const files = (await readdir(directory)).sort();
    const predictions = files.filter((f) => /^prediction_\d{4}(_\d\d){5}_\d{6}\.json$/.test(f));
    expect(predictions).toHaveLength(6); // one per image, none overwritten, none half-written (no .tmp left)
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const [index, file] of predictions.entries()) {
      const saved = JSON.parse(await readFile(path.join(directory, file), 'utf8')) as { predictions: { class: string }[] };
      expect(saved.predictions.map((p) => p.class)).toEqual(classes(records[index]!.predictions)); // names sort in the order written
    }
    // append_log with max_entries_per_file 4: rows 1-4 in the first file, 5-6 in a second; one header each
    const logs = files.filter((f) => f.startsWith('report_') && f.endsWith('.csv'));
    expect(logs).toHaveLength(2);
    const logged = await Promise.all(logs.map((f) => readFile(path.join(directory, f), 'utf8')));
    expect(logged.map((text) => text.split('\n').filter((line) => line.startsWith('classes,')).length)).toEqual([1, 1]);
    const rows = logged.flatMap(parseCsv);
    expect(rows.map((r) => Number(r.boxes))).toEqual(records.map((r) => classes(r.predictions).length));
  });

  it('data_aggregator: nothing until the fourth run, then distinct classes, counts, min/max/sum/avg of the boxes; the report is appended to a CSV log', async () => {
    const directory = await scratch();
    const workflow = await open('aggregation-report.json');
    const images = await load(['dog.jpg', 'horses.jpg', 'person.jpg', 'kite.jpg', 'giraffe.jpg']);
    const records: Record<string, unknown>[] = [];
    for (let round = 0; round < 2; round++) records.push(...(await workflow.run({ inputs: { image: images.slice(0, 4), target_directory: directory } })).outputs);
    records.push(...(await workflow.run({ inputs: { image: [images[4]!], target_directory: directory } })).outputs);
    await workflow.dispose();
    const nulls = { classes_distinct: null, classes_count_distinct: null, classes_values_counts: null, boxes_min: null, boxes_max: null, boxes_sum: null, boxes_avg: null, boxes_count: null };
    for (const index of [0, 1, 2, 4, 5, 6, 8]) expect(records[index]!.aggregation).toEqual(nulls);
    const expected = (window: typeof records) => {
      const all = window.flatMap((r) => classes(r.predictions));
      const counts = window.map((r) => classes(r.predictions).length);
      const valuesCounts: Record<string, number> = {};
      for (const name of all) valuesCounts[name] = (valuesCounts[name] ?? 0) + 1;
      return { all, counts, valuesCounts };
    };
    for (const end of [3, 7]) {
      const { all, counts, valuesCounts } = expected(records.slice(end - 3, end + 1));
      const report = records[end]!.aggregation as Record<string, unknown>;
      expect(new Set(report.classes_distinct as string[])).toEqual(new Set(all));
      expect(report.classes_count_distinct).toBe(new Set(all).size);
      expect(report.classes_values_counts).toEqual(valuesCounts);
      expect(report.boxes_min).toBe(Math.min(...counts));
      expect(report.boxes_max).toBe(Math.max(...counts));
      expect(report.boxes_sum).toBe(counts.reduce((a, b) => a + b, 0));
      expect(report.boxes_avg).toBeCloseTo(counts.reduce((a, b) => a + b, 0) / 4, 12);
      expect(report.boxes_count).toBe(4);
    }
    const [log, ...others] = (await readdir(directory)).filter((f) => f.startsWith('aggregation_report_'));
    expect(others).toEqual([]);
    const rows = parseCsv(await readFile(path.join(directory, log!), 'utf8'));
    expect(rows.map((r) => Number(r.total_boxes))).toEqual([3, 7].map((end) => records[end]!.aggregation).map((a) => (a as { boxes_sum: number }).boxes_sum));
    expect(rows.map((r) => Number(r.distinct_classes))).toEqual([3, 7].map((end) => (records[end]!.aggregation as { classes_count_distinct: number }).classes_count_distinct));
  });

  it('delta_filter passes a frame only when the count changed; rate_limiter lets one visualization through per cooldown', async () => {
    let now = 1_700_000_000_000;
    const workflow = await open('count-changes-and-rate-limit.json', { clock: () => now });
    const [dog, person] = await load(['dog.jpg', 'person.jpg']);
    const sequence = [dog!, dog!, person!, person!, dog!];
    const records: Record<string, unknown>[] = [];
    for (const image of sequence) {
      records.push((await workflow.run({ inputs: { image } })).outputs[0]!);
      now += 4000; // 4 s per frame against a 10 s cooldown: frames 0 and 3 pass
    }
    await workflow.dispose();
    const counts = records.map((r) => r.count as number);
    expect(counts[0]).not.toBe(counts[2]); // the two photos have different counts, or this test proves nothing
    const changed = counts.map((c, i) => i === 0 || c !== counts[i - 1]);
    records.forEach((record, i) => {
      if (changed[i]) expect(record.change).toMatch(new RegExp(`^count is now ${counts[i]} \\(`));
      else expect(record.change).toBeNull();
    });
    expect(records.map((r) => r.visualization !== null)).toEqual([true, false, false, true, false]);
    const image = records[0]!.visualization as VadImage;
    expect([image.width, image.height]).toEqual([dog!.width, dog!.height]);
  });

  it('json_parser reads the model id and label from a Markdown JSON block; string_template renders Python format specs', async () => {
    const workflow = await open('json-config-and-prompt.json');
    const [record] = (await workflow.run({ inputs: { image: await load(['dog.jpg']) } })).outputs;
    await workflow.dispose();
    // threshold is missing from the JSON: null, and error_status says so
    expect(record!.settings).toEqual({ error_status: true, model_id: 'yolox_nano.onnx', label: 'gate', threshold: null });
    const confidences = (record!.predictions as Detections).predictions.map((p) => p.confidence);
    expect(confidences.length).toBeGreaterThan(0);
    const boxes = String(confidences.length).padStart(3, ' ');
    expect(record!.prompt).toBe(`[gate] {boxes}: ${boxes}; best ${Math.max(...confidences).toFixed(2)}`);
  });
});
