// Engine overhead per step: a 50-step chain and a 20-way fan-out of trivial blocks.
// Usage: pnpm --filter @vad/core bench   (after pnpm build)
import { createBlockRegistry, createWorkflow, defineBlock, field, z } from '../dist/index.js';

const identity = defineBlock({
  specificationVersion: 'v1',
  type: 'bench/identity@v1',
  title: 'Identity',
  description: 'Returns its input',
  manifest: { value: field.parameter(z.number(), ['float']) },
  outputs: { value: { kinds: ['float'] } },
  create: () => ({ run: ({ value }) => ({ value }) }),
});
const registry = createBlockRegistry([identity]);

function chain(length) {
  const steps = Array.from({ length }, (_, i) => ({ type: 'bench/identity@v1', name: `s${i}`, value: i === 0 ? '$inputs.x' : `$steps.s${i - 1}.value` }));
  return { version: '1.0', inputs: [{ type: 'WorkflowParameter', name: 'x', default_value: 1 }], steps, outputs: [{ type: 'JsonField', name: 'y', selector: `$steps.s${length - 1}.value` }] };
}

function fanOut(width) {
  const steps = [{ type: 'bench/identity@v1', name: 'root', value: '$inputs.x' }];
  for (let i = 0; i < width; i++) steps.push({ type: 'bench/identity@v1', name: `b${i}`, value: '$steps.root.value' });
  const outputs = steps.slice(1).map((s) => ({ type: 'JsonField', name: s.name, selector: `$steps.${s.name}.value` }));
  return { version: '1.0', inputs: [{ type: 'WorkflowParameter', name: 'x', default_value: 1 }], steps, outputs };
}

async function measure(name, definition) {
  const workflow = createWorkflow(definition, { registry });
  const steps = definition.steps.length;
  for (let i = 0; i < 2000; i++) await workflow.run({ inputs: {} }); // warm up the JIT
  const runs = 20000;
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < runs / 5; i++) await workflow.run({ inputs: {} });
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1000 / (runs / 5));
  }
  console.log(`${name.padEnd(16)} ${steps} steps  ${best.toFixed(1).padStart(7)} µs/run  ${(best / steps).toFixed(2).padStart(6)} µs/step`);
}

console.log(`node ${process.version}, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
await measure('chain of 50', chain(50));
await measure('fan-out of 20', fanOut(20));
