// Runs every speed benchmark in turn (accuracy evaluations are separate: bench/evaluate-config.mjs).
import { execFileSync } from 'node:child_process';
const here = new URL('.', import.meta.url).pathname;
const runs = [
  ['matmul-rate.mjs'],
  ['predict-speed.mjs'],
  ['predict-speed.mjs', '--backbone', 'mobilenet_v2', '--size', '160', '--ratio', '0.05'],
  ['fit-speed.mjs'],
  ['coreset.mjs', '168000', '128', '300'],
  ['metrics-speed.mjs'],
];
for (const [script, ...args] of runs) {
  console.log(`$ node bench/${script} ${args.join(' ')}`);
  console.log(execFileSync(process.execPath, [here + script, ...args], { encoding: 'utf8' }).trim());
}
