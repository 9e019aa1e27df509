// Tables of a selection sweep (bench/select-default.mjs): per candidate, each split's validation and
// test figures (mean ± half-range over seeds), the mean and the worst split. The validation columns
// choose; the test columns are only reported.
// node bench/summarise-selection.mjs /tmp/selection.jsonl [--metric pixelAuroc]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { metric: { type: 'string', default: 'pixelAuroc' } } });
const runs = readFileSync(positionals[0], 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const splits = [...new Set(runs.map((run) => run.split))];
const candidates = [...new Set(runs.map((run) => run.candidate))];
const stats = (list) => {
  if (list.length === 0) return undefined;
  const mean = list.reduce((sum, value) => sum + value, 0) / list.length;
  return { mean, spread: (Math.max(...list) - Math.min(...list)) / 2, seeds: list.length };
};
const cell = (value) => (value ? `${value.mean.toFixed(3)}${value.seeds > 1 ? ` ±${value.spread.toFixed(3)}` : ''}` : '—');
for (const part of ['validation', 'test']) {
  for (const metric of [values.metric, 'imageAuroc', 'aupro']) {
    console.log(`\n${part} ${metric} (mean ± half-range over seeds)`);
    console.log(['candidate'.padEnd(18), ...splits.map((split) => split.padEnd(15)), 'mean'.padEnd(7), 'worst'].join(' '));
    for (const candidate of candidates) {
      const perSplit = splits.map((split) => stats(runs.filter((run) => run.candidate === candidate && run.split === split && run[part]).map((run) => run[part][metric])));
      const means = perSplit.filter(Boolean).map((value) => value.mean);
      const complete = means.length === splits.length;
      console.log([candidate.padEnd(18), ...perSplit.map((value) => cell(value).padEnd(15)), (complete ? (means.reduce((a, b) => a + b, 0) / means.length).toFixed(3) : '—').padEnd(7), complete ? Math.min(...means).toFixed(3) : '—'].join(' '));
    }
  }
}
console.log('\npredict ms per image (test, mean over splits)');
for (const candidate of candidates) {
  const list = runs.filter((run) => run.candidate === candidate).map((run) => run.test.predictMs);
  console.log(candidate.padEnd(18), (list.reduce((a, b) => a + b, 0) / list.length).toFixed(1));
}
