import type { AnyBlock } from '../blocks.js';
import { fail } from './fail.js';
import type { StepGraph } from './graph.js';
import { containerFor, type Binding, type CompiledProperty, type CompiledStep } from './plan.js';
import type { BoundProperty, BoundSteps, DeclaredStep, InputsByName, StepsByName } from './state.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Pass 5: in topological order, the level of each bound value (a slicer's outputs are one level
 * deeper than its input), the level each step runs at, and the level of its outputs.
 */
export function assignLevels(steps: StepsByName, bound: BoundSteps, graph: StepGraph, inputs: InputsByName): CompiledStep[] {
  const gatesOf = new Map<string, string[]>();
  for (const [gate, properties] of bound) {
    for (const target of properties.flatMap((p) => p.stepTargets ?? [])) (gatesOf.get(target) ?? gatesOf.set(target, []).get(target)!).push(gate);
  }
  const done = new Map<string, Mutable<CompiledStep>>();
  for (const stepName of graph.order) {
    const gates = (gatesOf.get(stepName) ?? []).map((gate) => done.get(gate)!);
    done.set(stepName, compileStep(stepName, steps.get(stepName)!, bound.get(stepName)!, graph.dependencies.get(stepName)!, done, inputs, gates));
  }
  const compiled = [...done.values()];
  linkFlowTargets(compiled, done);
  return compiled;
}

/**
 * A flow-control step decides per element of its run level (per image, per crop). A step it
 * governs at its level or inside it runs only inside the elements that said continue. A step of a
 * lower level (a whole image governed by its crops) runs for an element when at least one of the
 * gate's elements inside it said continue: Roboflow's engine reduces a gate's decisions to the
 * governed step's level that way (its branch masks cut to the step's dimensionality).
 */
function linkFlowTargets(steps: readonly Mutable<CompiledStep>[], byName: ReadonlyMap<string, Mutable<CompiledStep>>): void {
  for (const gate of steps) {
    const anyOf = gate.flowTargets.map((name) => byName.get(name)!).filter((target) => target.runLevel < gate.runLevel && target.lineageFrom !== gate.name);
    gate.anyOfTargets = anyOf.map((target) => ({ step: target.name, level: target.runLevel }));
    for (const target of anyOf) target.anyOfGates = [...target.anyOfGates, gate.name];
  }
}

function compileStep(
  stepName: string,
  { block, outputs }: DeclaredStep,
  properties: readonly BoundProperty[],
  dependencies: ReadonlySet<string>,
  done: ReadonlyMap<string, CompiledStep>,
  inputs: InputsByName,
  gates: readonly CompiledStep[],
): Mutable<CompiledStep> {
  const levelOf = (binding: Binding) => (binding.type === 'step' ? done.get(binding.step)!.outputLevel : binding.type === 'input' ? inputs.get(binding.name)!.level : 0);
  const scalarOf = (binding: Binding) => (binding.type === 'step' ? !done.get(binding.step)!.batchOriented : binding.type === 'input' ? inputs.get(binding.name)!.type === 'parameter' : true);
  const compiled: CompiledProperty[] = properties.map((p) => ({
    name: p.name,
    spec: p.spec,
    binding: p.binding,
    level: levelOf(p.binding),
    scalar: scalarOf(p.binding),
    ...(p.entryKey !== undefined && { entryKey: p.entryKey }),
  }));
  const flowTargets = properties.flatMap((p) => p.stepTargets ?? []);
  const perImageData = compiled.some((p) => !p.scalar);
  // Fed no per-image data and governed from a deeper level: the step takes its elements from the deepest gate.
  const lineage = perImageData || block.dimensionality === 'collapse' ? undefined : gates.filter((g) => g.runLevel > 0).sort((a, b) => b.runLevel - a.runLevel)[0];
  const runLevel = lineage ? lineage.runLevel : runLevelOf(block, compiled, stepName);
  const outputLevel = block.dimensionality === 'expand' ? runLevel + 1 : runLevel;
  return {
    name: stepName,
    block,
    outputs,
    properties: compiled,
    literals: literalsOf(compiled),
    dependencies: [...dependencies],
    runLevel,
    outputLevel,
    batchOriented: perImageData || gates.length > 0 || block.dimensionality === 'expand',
    flowTargets,
    anyOfTargets: [],
    anyOfGates: [],
    ...(lineage && { lineageFrom: lineage.name }),
  };
}

/**
 * Data properties (images, detections…) must agree on a level; values that are the same for
 * every image (literals, parameters) broadcast to any level. A collapsing property at level 0 (one
 * value per image) makes the step run once for the whole batch (level -1), as Roboflow's engine
 * (since 1.6) collapses a batch into one value.
 */
function runLevelOf(block: AnyBlock, compiled: readonly CompiledProperty[], stepName: string): number {
  const data = compiled.filter((p) => p.binding.type !== 'literal' && p.spec.accepts === 'selector');
  const collapsing = data.filter((p) => p.spec.collapse);
  const regular = data.filter((p) => !p.spec.collapse && !p.scalar);
  const perImage = compiled.filter((p) => !p.scalar);
  let runLevel = perImage.length === 0 ? 0 : Math.max(...perImage.map((p) => p.level));
  if (block.dimensionality === 'collapse') {
    if (collapsing.length === 0) fail(`block ${block.type} collapses a level but none of its collapsing properties is bound`, { stepName });
    const deeper = collapsing[0]!;
    if (deeper.scalar && deeper.level === 0) {
      fail(`wrong dimensionality: this property must come from per-image or nested values, but its value is the same for every image (a literal or parameter), so there is no level to collapse`, {
        stepName,
        property: deeper.name,
        selector: bindingText(deeper.binding),
      });
    }
    if (deeper.level < 0) {
      fail(`wrong dimensionality: this value is already one for the whole batch (a collapsed batch), so there is no level left to collapse`, { stepName, property: deeper.name, selector: bindingText(deeper.binding) });
    }
    runLevel = deeper.level - 1;
    for (const p of collapsing) checkLevel(p, deeper.level, stepName);
    for (const p of regular) checkLevel(p, runLevel, stepName);
  } else {
    const first = regular.reduce<CompiledProperty | undefined>((best, p) => (best === undefined || p.level > best.level ? p : best), undefined);
    if (first) {
      runLevel = Math.max(runLevel, first.level);
      for (const p of regular) checkLevel(p, first.level, stepName, first);
    }
  }
  for (const p of compiled) {
    if (p.spec.accepts !== 'selector' && !p.scalar && p.level > runLevel) {
      fail(`wrong dimensionality: a parameter at level ${p.level} cannot feed a step that runs at level ${runLevel}`, { stepName, property: p.name, selector: bindingText(p.binding) });
    }
  }
  return runLevel;
}

function checkLevel(property: CompiledProperty, expected: number, stepName: string, other?: CompiledProperty) {
  if (property.level === expected) return;
  const versus = other ? ` while "${other.name}" (${bindingText(other.binding)}) has level ${other.level}` : `; expected level ${expected}`;
  fail(`wrong dimensionality: the value has ${levelText(property.level)}${versus}`, { stepName, property: property.name, selector: bindingText(property.binding) });
}

const levelText = (level: number) => (level < 0 ? 'level -1 (one value for the whole batch)' : `level ${level}`);

function bindingText(binding: Binding): string | undefined {
  if (binding.type === 'input') return `$inputs.${binding.name}`;
  if (binding.type === 'step') return `$steps.${binding.step}.${binding.output}`;
  return undefined;
}

/** The properties written literally, as `create()` receives them (dictionary and list entries gathered). */
function literalsOf(compiled: readonly CompiledProperty[]): Record<string, unknown> {
  const literals: Record<string, unknown> = {};
  for (const p of compiled) {
    if (p.binding.type !== 'literal') continue;
    if (p.entryKey === undefined) literals[p.name] = p.binding.value;
    else ((literals[p.name] ??= containerFor(p.entryKey)) as Record<string | number, unknown>)[p.entryKey] = p.binding.value;
  }
  return literals;
}
