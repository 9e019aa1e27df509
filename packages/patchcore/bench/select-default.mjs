// The selection protocol's candidate runs (BENCHMARKS.md): each candidate × split × seed through
// bench/select-config.mjs, one JSON line each appended to --out (runs already there are skipped, so
// an interrupted sweep resumes). Summarise with bench/summarise-selection.mjs.
// node bench/select-default.mjs --out /tmp/selection.jsonl [--seeds 0,1,2] [--candidates A,B] [--splits hazelnut,deeppcb]
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { splitNames } from './splits.mjs';

/** Candidate flags for select-config.mjs: today's presets and the multi-scale, aspect-keeping variants. */
export const candidates = {
  'default-v1': '--taps mixed5 --geometry square:192 --ratio 0.1 --scoring default',
  'fine-v1': '--taps mixed2,mixed5 --geometry square:256 --ratio 0.02 --scoring single',
  'm25-fit256': '--taps mixed2,mixed5 --geometry fit:256 --ratio 0.02 --scoring single --sigma-cells 1',
  'm25-fit320': '--taps mixed2,mixed5 --geometry fit:320 --ratio 0.02 --scoring single --sigma-cells 1',
  'm25-fit320-plain': '--taps mixed2,mixed5 --geometry fit:320 --ratio 0.02 --scoring plain --sigma-cells 1',
  'm25-fit320-r10': '--taps mixed2,mixed5 --geometry fit:320 --ratio 0.1 --scoring single --sigma-cells 1',
  'm25-fit320-s05': '--taps mixed2,mixed5 --geometry fit:320 --ratio 0.02 --scoring single --sigma-cells 0.5',
  'm25-fit320-s2': '--taps mixed2,mixed5 --geometry fit:320 --ratio 0.02 --scoring single --sigma-cells 2',
  'm15-fit320': '--taps mixed1,mixed5 --geometry fit:320 --ratio 0.02 --scoring single --sigma-cells 1',
  'm25-fit256-exp': '--taps mixed2,mixed5 --geometry fit:256 --ratio 0.02 --scoring default --sigma-cells 1',
  'm15-fit320-plain': '--taps mixed1,mixed5 --geometry fit:320 --ratio 0.02 --scoring plain --sigma-cells 1',
  'm15-fit256': '--taps mixed1,mixed5 --geometry fit:256 --ratio 0.02 --scoring single --sigma-cells 1',
  'm15-tile320': '--taps mixed1,mixed5 --geometry tile:320:0.25 --ratio 0.02 --scoring single --sigma-cells 1',
};

if (import.meta.main ?? process.argv[1] === new URL(import.meta.url).pathname) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, seeds: { type: 'string', default: '0,1,2' }, candidates: { type: 'string' }, splits: { type: 'string' } } });
  const done = new Set(existsSync(values.out) ? readFileSync(values.out, 'utf8').split('\n').filter(Boolean).map((line) => { const run = JSON.parse(line); return `${run.candidate}/${run.split}/${run.seed}`; }) : []);
  const names = values.candidates?.split(',') ?? Object.keys(candidates);
  for (const seed of values.seeds.split(',')) {
    for (const name of names) {
      for (const split of values.splits?.split(',') ?? splitNames) {
        if (done.has(`${name}/${split}/${seed}`)) continue;
        const line = execFileSync('node', [new URL('select-config.mjs', import.meta.url).pathname, '--split', split, '--seed', seed, ...candidates[name].split(' ')], { encoding: 'utf8' }).trim().split('\n').at(-1);
        appendFileSync(values.out, `${JSON.stringify({ candidate: name, ...JSON.parse(line) })}\n`);
        console.log(name, split, seed, line);
      }
    }
  }
}
