import type { AnyBlock, FieldSpec, Manifest } from '../blocks.js';
import { looksLikeSelector, parseSelector } from '../definition.js';
import { fail } from './fail.js';
import { checkKinds } from './kinds.js';
import { resolveSelector } from './selectors.js';
import type { BoundProperty, BoundSteps, InputsByName, StepsByName } from './state.js';

interface Where {
  readonly stepName: string;
  readonly property: string;
}

/** What binding one step's properties needs to know. */
interface Scope {
  readonly inputs: InputsByName;
  readonly steps: StepsByName;
}

/**
 * Pass 3 (selectors and kinds): binds every property of every step to a literal, an input or a
 * step output; literals are checked by the property's schema, selectors by the kinds they carry.
 */
export function bindProperties(steps: StepsByName, inputs: InputsByName): BoundSteps {
  const scope: Scope = { inputs, steps };
  const bound = new Map<string, BoundProperty[]>();
  for (const [stepName, { block, raw }] of steps) {
    checkKnownProperties(block, raw, stepName);
    const properties: BoundProperty[] = [];
    for (const [property, spec] of Object.entries(block.manifest as Manifest)) {
      properties.push(...bindProperty(valueOf(raw, property, spec, stepName), spec, { stepName, property }, scope));
    }
    bound.set(stepName, properties);
  }
  return bound;
}

/** The properties of a step that its block's manifest does not have (under any of their names). */
export function unknownProperties(block: AnyBlock, raw: Readonly<Record<string, unknown>>): string[] {
  const manifest = block.manifest as Manifest;
  const known = new Set(['type', 'name', ...Object.entries(manifest).flatMap(([name, spec]) => [name, ...(spec.aliases ?? [])])]);
  return Object.keys(raw).filter((property) => !known.has(property));
}

/**
 * Whether the step was written under another name than the block's vad type (Roboflow's names).
 * Roboflow's manifests drop properties they do not declare, so a definition written for Roboflow
 * may carry some; vad ignores them too there (the plan lists them). Under a vad name an unknown
 * property is an error: most often a typo.
 */
export const ignoresUnknownProperties = (block: AnyBlock, raw: Readonly<Record<string, unknown>>): boolean => raw.type !== block.type;

function checkKnownProperties(block: AnyBlock, raw: Readonly<Record<string, unknown>>, stepName: string): void {
  const [property] = unknownProperties(block, raw);
  if (property === undefined || ignoresUnknownProperties(block, raw)) return;
  fail(`unknown property (block ${block.type} accepts: ${Object.keys(block.manifest as Manifest).join(', ') || 'none'})`, { stepName, property });
}

/**
 * The property's value under its own name or one of its aliases; two names at once is ambiguous.
 * (`?? []`: a plugin built against an older @vad/core makes specs without aliases.)
 */
function valueOf(raw: Readonly<Record<string, unknown>>, property: string, spec: FieldSpec, stepName: string): unknown {
  const given = [property, ...(spec.aliases ?? [])].filter((name) => raw[name] !== undefined);
  if (given.length > 1) fail(`given twice, as ${given.map((name) => `"${name}"`).join(' and ')} (they name the same property)`, { stepName, property });
  return given.length === 1 ? raw[given[0]!] : undefined;
}

/** A dictionary or list property gives one entry per key or index; an absent selector-only property gives none. */
function bindProperty(value: unknown, spec: FieldSpec, where: Where, scope: Scope): BoundProperty[] {
  if (value === undefined || value === null) return bindAbsent(spec, where);
  if (spec.accepts === 'step_list') return [bindStepList(value, spec, where, scope)];
  if (spec.accepts === 'dictionary' && typeof value === 'object' && !Array.isArray(value)) return bindDictionary(value as Record<string, unknown>, spec, where, scope);
  if (spec.accepts === 'list' && Array.isArray(value)) return bindList(value, spec, where, scope);
  if (looksLikeSelector(value)) return [bindSelector(value, spec, where, scope)];
  return [bindLiteral(value, spec, where)];
}

function bindAbsent(spec: FieldSpec, where: Where): BoundProperty[] {
  if (!spec.optional) fail(`missing required property (${spec.description ?? spec.kinds.join(' | ') ?? 'value'})`, where);
  if (spec.accepts !== 'literal' && spec.accepts !== 'literal_or_selector') return [];
  const parsed = spec.schema.safeParse(undefined);
  return [{ name: where.property, spec, binding: { type: 'literal', value: parsed.success ? parsed.data : undefined } }];
}

function bindStepList(value: unknown, spec: FieldSpec, where: Where, scope: Scope): BoundProperty {
  if (!Array.isArray(value)) fail('expected a list of step selectors like "$steps.name"', where);
  const targets = value.map((entry) => {
    const selector = typeof entry === 'string' ? parseSelector(entry) : undefined;
    if (!selector || selector.source !== 'step' || selector.output !== '') fail('expected a step selector like "$steps.name"', { ...where, selector: String(entry) });
    if (!scope.steps.has(selector.step)) fail(`no step named "${selector.step}"`, { ...where, selector: entry });
    if (selector.step === where.stepName) fail('a step cannot govern itself', { ...where, selector: entry });
    return selector.step;
  });
  return { name: where.property, spec, binding: { type: 'literal', value: targets }, stepTargets: targets };
}

function bindDictionary(value: Record<string, unknown>, spec: FieldSpec, where: Where, scope: Scope): BoundProperty[] {
  const entries = Object.entries(value);
  if (entries.length === 0) return [{ name: where.property, spec, binding: { type: 'literal', value: {} } }];
  return entries.map(([key, entry]) => bindEntry(entry, key, { stepName: where.stepName, property: `${where.property}.${key}` }, spec, where, scope));
}

function bindList(value: readonly unknown[], spec: FieldSpec, where: Where, scope: Scope): BoundProperty[] {
  const fewest = spec.minItems ?? 0;
  if (value.length < fewest) fail(`expected at least ${fewest} ${fewest === 1 ? 'entry' : 'entries'}, got ${value.length}`, where);
  if (value.length === 0) return [{ name: where.property, spec, binding: { type: 'literal', value: [] } }];
  return value.map((entry, index) => bindEntry(entry, index, { stepName: where.stepName, property: `${where.property}[${index}]` }, spec, where, scope));
}

/** One entry of a dictionary (by key) or a list (by index): a literal checked by the schema, or a selector of the spec's kinds. */
function bindEntry(entry: unknown, entryKey: string | number, at: Where, spec: FieldSpec, where: Where, scope: Scope): BoundProperty {
  if (!looksLikeSelector(entry)) {
    const parsed = spec.schema.safeParse(entry);
    if (!parsed.success) fail(`invalid value ${JSON.stringify(entry)}: ${parsed.error.issues[0]?.message ?? 'rejected by the schema'}`, at);
    return { name: where.property, spec, binding: { type: 'literal', value: parsed.data }, entryKey };
  }
  const { binding, kinds } = resolveSelector(entry, at, scope.inputs, scope.steps);
  checkKinds(kinds, spec.kinds, { ...at, selector: entry });
  return { name: where.property, spec, binding, entryKey };
}

function bindSelector(value: string, spec: FieldSpec, where: Where, scope: Scope): BoundProperty {
  if (spec.accepts === 'literal') fail('this property must be written literally, not as a selector', { ...where, selector: value });
  if (spec.accepts === 'list') fail('expected a list of values or selectors, not one selector', { ...where, selector: value });
  const { binding, kinds } = resolveSelector(value, where, scope.inputs, scope.steps);
  checkKinds(kinds, spec.accepts === 'dictionary' ? ['dictionary'] : spec.kinds, { ...where, selector: value });
  return { name: where.property, spec, binding };
}

function bindLiteral(value: unknown, spec: FieldSpec, where: Where): BoundProperty {
  if (spec.accepts === 'dictionary') fail(`expected a dictionary of values or selectors, got ${JSON.stringify(value)}`, where);
  if (spec.accepts === 'list') fail(`expected a list of values or selectors, got ${JSON.stringify(value)}`, where);
  if (spec.accepts === 'selector') fail(`expected a selector of kind [${spec.kinds.join(', ')}], got the literal ${JSON.stringify(value)}`, where);
  const parsed = spec.schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    fail(`invalid value ${JSON.stringify(value)}${at}: ${issue?.message ?? 'rejected by the schema'}`, where);
  }
  return { name: where.property, spec, binding: { type: 'literal', value: parsed.data } };
}
