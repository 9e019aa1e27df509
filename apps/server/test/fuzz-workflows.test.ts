import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledWorkflowsDir } from '../src/config.js';
import { sampleJpeg } from './images.js';
import { startTestServer, type TestServer } from './start-server.js';
import { fuzzSettings, expectLocatedError, type Injected } from './fuzz-settings.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Definitions to mutate: the bundled examples, and Roboflow-shaped ones (their block names, selectors, wildcards, flow control). */
const bundled = readdirSync(path.join(bundledWorkflowsDir, 'examples')).map(
  (file) => (JSON.parse(readFileSync(path.join(bundledWorkflowsDir, 'examples', file), 'utf8')) as { specification: Json }).specification,
);
const roboflowShaped: Json[] = [
  {
    version: '1.0',
    inputs: [{ type: 'InferenceImage', name: 'image' }, { type: 'InferenceParameter', name: 'size', default_value: 24 }],
    steps: [
      { type: 'vad/image_resize@v1', name: 'resize', image: '$inputs.image', width: '$inputs.size', height: '$inputs.size' },
      { type: 'roboflow_core/property_definition@v1', name: 'label', data: '$inputs.size', operations: [{ type: 'ToString' }] },
    ],
    outputs: [{ type: 'JsonField', name: 'small', selector: '$steps.resize.image' }, { type: 'JsonField', name: 'all', selector: '$steps.label.*' }],
  },
  {
    version: '1.0',
    inputs: [{ type: 'WorkflowImage', name: 'image' }, { type: 'WorkflowParameter', name: 'limit', default_value: 3 }],
    steps: [
      { type: 'roboflow_core/continue_if@v1', name: 'gate', condition_statement: { type: 'StatementGroup', statements: [{ type: 'BinaryStatement', left_operand: { type: 'DynamicOperand', operand_name: 'n' }, comparator: { type: '(Number) >' }, right_operand: { type: 'StaticOperand', value: 1 } }] }, evaluation_parameters: { n: '$inputs.limit' }, next_steps: ['$steps.resize'] },
      { type: 'vad/image_resize@v1', name: 'resize', image: '$inputs.image', width: 8, height: 8 },
    ],
    outputs: [{ type: 'JsonField', name: 'small', selector: '$steps.resize.image' }],
  },
  {
    version: '1.0',
    inputs: [{ type: 'WorkflowImage', name: 'image' }],
    steps: [
      { type: 'roboflow_core/image_slicer@v2', name: 'slicer', image: '$inputs.image', slice_width: 16, slice_height: 16 },
      { type: 'vad/image_resize@v1', name: 'resize', image: '$steps.slicer.slices', width: 4, height: 4 },
      { type: 'roboflow_core/absolute_static_crop@v1', name: 'crop', images: '$inputs.image', x_center: 8, y_center: 8, width: 8, height: 8 },
    ],
    outputs: [{ type: 'JsonField', name: 'tiles', selector: '$steps.resize.image' }, { type: 'JsonField', name: 'crop', selector: '$steps.crop.crops' }],
  },
];
const bases: Json[] = [...bundled, ...roboflowShaped];

/** One change to a definition; the numbers pick where, so fast-check can shrink a failure to the smallest change. */
interface Mutation {
  op: number;
  a: number;
  b: number;
  value: Json;
}

/** Every [parent, key] in a value (the root's parent is a holder object); iterative, since mutations nest thousands deep. */
function slots(root: { value: Json }): Array<[Record<string, Json> | Json[], string | number]> {
  const found: Array<[Record<string, Json> | Json[], string | number]> = [[root as unknown as Record<string, Json>, 'value']];
  const pending: Json[] = [root.value];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (!node || typeof node !== 'object') continue;
    for (const [key, child] of Object.entries(node)) {
      found.push([node, Array.isArray(node) ? Number(key) : key]);
      pending.push(child);
    }
  }
  return found;
}

const stepsOf = (definition: Json): Array<Record<string, Json>> => {
  const steps = (definition as { steps?: unknown } | null)?.steps;
  return Array.isArray(steps) ? steps.filter((s): s is Record<string, Json> => Boolean(s) && typeof s === 'object' && !Array.isArray(s)) : [];
};

function lastInputName(definition: Json): string {
  const inputs = (definition as { inputs?: unknown } | null)?.inputs;
  const last = Array.isArray(inputs) ? (inputs.at(-1) as { name?: unknown } | null) : undefined;
  return String(last?.name ?? 'x');
}

function nest(value: Json, depth: number, object: boolean): Json {
  let nested = value;
  for (let i = 0; i < depth; i++) nested = object ? { x: nested } : [nested];
  return nested;
}

const hugeNumbers = [1e308, -1e308, 2 ** 53 + 2, -(2 ** 31), 0, -0, 1e-320, 4294967297, 1e21];

/** Applies one mutation in place: drop, replace, unknown block, dangling selector, cycle, wrong kind, huge number, deep nesting, duplicate, long string, wrong shape. */
function mutate(holder: { value: Json }, mutation: Mutation): void {
  const { op, a, b, value } = mutation;
  const all = slots(holder);
  const [parent, key] = all[a % all.length]!;
  const steps = stepsOf(holder.value);
  const step = steps.length > 0 ? steps[a % steps.length] : undefined;
  const stepKeys = step ? Object.keys(step).filter((k) => k !== 'type' && k !== 'name') : [];
  const property = stepKeys.length > 0 ? stepKeys[b % stepKeys.length]! : 'image';
  const set = (target: Record<string, Json> | Json[], k: string | number, v: Json) => ((target as Record<string, Json>)[k as string] = v);
  switch (op % 11) {
    case 0: // drop a field or element
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else if (parent !== (holder as unknown)) delete parent[key as string];
      break;
    case 1: // any JSON value anywhere
      set(parent, key, value);
      break;
    case 2: // a block type nobody registered
      if (step) step.type = ['acme/nonexistent@v1', 'roboflow_core/nope@v9', '', 'ObjectDetectionModel', 'vad/patchcore@v7'][b % 5]!;
      break;
    case 3: // a selector to nowhere
      if (step) step[property] = ['$steps.ghost.image', '$inputs.ghost', '$steps.', '$', '$steps.*', `$steps.${String(step.name)}.nothing`][b % 6]!;
      break;
    case 4: // a cycle: a step reads its own output or a later step's
      if (step && steps.length > 0) step[property] = `$steps.${String(steps[(steps.indexOf(step) + (b % steps.length)) % steps.length]!.name)}.image`;
      break;
    case 5: // the wrong kind: an image where a number goes, a parameter where an image goes
      if (step) step[property] = b % 2 === 0 ? '$inputs.image' : `$inputs.${lastInputName(holder.value)}`;
      break;
    case 6: // a huge, tiny or negative number
      set(parent, key, hugeNumbers[b % hugeNumbers.length]!);
      break;
    case 7: // deep nesting
      set(parent, key, nest(value, 50 + (b % 1000), b % 2 === 0)); // deeper still: the 100,000-level test in bad-requests
      break;
    case 8: // a duplicate step, input or output name
      if (steps.length > 1) steps[1]!.name = steps[0]!.name ?? null;
      else if (step) (holder.value as { steps: Json[] }).steps.push({ ...step });
      break;
    case 9: // a very long string
      set(parent, key, 'x'.repeat(1 + (b % 200_000)));
      break;
    default: // the wrong shape for a top-level part
      if (holder.value && typeof holder.value === 'object' && !Array.isArray(holder.value)) {
        holder.value[['steps', 'inputs', 'outputs', 'version'][b % 4]!] = [null, 'steps', 17, {}, [[]], true][a % 6]! as Json;
      }
  }
}

const mutationArbitrary = fc.record({ op: fc.nat(10), a: fc.nat(), b: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> });
/** A base definition and the changes made to it (the definition is built in the property, so a failure prints these few numbers). */
const changesArbitrary = fc.tuple(fc.nat(bases.length - 1), fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 }));

export function mutatedDefinition([base, mutations]: [number, Mutation[]]): Json {
  const holder = { value: structuredClone(bases[base]!) };
  for (const mutation of mutations) mutate(holder, mutation);
  return holder.value;
}

/**
 * Generated and mutated workflow definitions through compile and run (in process, through
 * Fastify's inject: the same routing, parsing, error handler and serialisation as over a socket).
 * Seeded and bounded; VAD_FUZZ_SEED / VAD_FUZZ_RUNS change the draw.
 */
describe('fuzzing workflow definitions', () => {
  let server: TestServer;
  let image: { type: string; value: string };
  const outcomes = new Map<string, number>();
  beforeAll(async () => {
    server = await startTestServer({ maxWorkflowSteps: 64 });
    image = { type: 'base64', value: (await sampleJpeg(48, 32)).toString('base64') };
  });
  afterAll(async () => {
    console.log(`workflow fuzzing (seed ${fuzzSettings.seed}): ${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    await server.close();
  });

  const inject = async (url: string, payload: unknown): Promise<Injected> => {
    const response = await server.server.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
    return { status: response.statusCode, body: JSON.parse(response.body) };
  };

  it(`${fuzzSettings.workflowRuns} mutated definitions: no crash, no 500, every error located`, async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(changesArbitrary, async (changes) => {
        const definition = mutatedDefinition(changes);
        count++;
        const route = count % 5 === 0 ? '/workflows/validate' : '/workflows/run';
        const response = await inject(route, route === '/workflows/validate' ? definition : { specification: definition, inputs: { image } });
        const outcome = response.status < 400 ? String(response.status) : `${response.status} ${response.body.error_type}`;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        expect(response.status, JSON.stringify(response.body).slice(0, 600)).toBeLessThan(500);
        if (response.status >= 400) expectLocatedError(response, definition);
      }),
      { seed: fuzzSettings.seed, numRuns: fuzzSettings.workflowRuns, endOnFailure: true },
    );
    expect(count).toBe(fuzzSettings.workflowRuns);
    // The corpus reaches both ends: some definitions still run, most are refused.
    expect(outcomes.get('200') ?? 0).toBeGreaterThan(fuzzSettings.workflowRuns / 100);
    expect([...outcomes.keys()].some((k) => k.startsWith('400 WorkflowCompileError'))).toBe(true);
  });
});
