import type { AnyBlock } from '../blocks.js';
import { fail } from './fail.js';
import type { StepGraph } from './graph.js';
import { containerFor, type Binding, type CompiledProperty, type CompiledStep } from './plan.js';
import type { BoundProperty, BoundSteps, DeclaredStep, InputsByName, StepsByName } from './state.js';

/**
 * Pass 5: in topological order, the level of each bound value (a slicer's outputs are one level
 * deeper than its input), the level each step runs at, and the level of its outputs.
 */
export function assignLevels(steps: StepsByName, bound: BoundSteps, graph: StepGraph, inputs: InputsByName): CompiledStep[] {
  const outputLevels = new Map<string, number>();
  const compiled = graph.order.map((stepName) => {
    const step = compileStep(stepName, steps.get(stepName)!, bound.get(stepName)!, graph.dependencies.get(stepName)!, outputLevels, inputs);
    outputLevels.set(stepName, step.outputLevel);
    return step;
  });
  checkFlowTargets(compiled);
  return compiled;
}

/**
 * A flow-control step decides per element of its run level (per image, per crop), so the steps
 * it governs must run at that level or inside it: a step of a whole image cannot be stopped by
 * one of its crops.
 */
function checkFlowTargets(steps: readonly CompiledStep[]): void {
  const byName = new Map(steps.map((step) => [step.name, step]));
  for (const gate of steps) {
    for (const target of gate.flowTargets) {
      const runLevel = byName.get(target)!.runLevel;
      if (runLevel < gate.runLevel) {
        fail(`wrong dimensionality: step "${target}" runs at level ${runLevel}, above this flow-control step (level ${gate.runLevel}), so one element here cannot stop it`, {
          stepName: gate.name,
          property: gate.properties.find((p) => p.spec.accepts === 'step_list')?.name,
          selector: `$steps.${target}`,
        });
      }
    }
  }
}

function compileStep(
  stepName: string,
  { block, outputs }: DeclaredStep,
  properties: readonly BoundProperty[],
  dependencies: ReadonlySet<string>,
  outputLevels: ReadonlyMap<string, number>,
  inputs: InputsByName,
): CompiledStep {
  const levelOf = (binding: Binding) => (binding.type === 'step' ? outputLevels.get(binding.step)! : binding.type === 'input' ? inputs.get(binding.name)!.level : 0);
  const compiled: CompiledProperty[] = properties.map((p) => ({ name: p.name, spec: p.spec, binding: p.binding, level: levelOf(p.binding), ...(p.entryKey !== undefined && { entryKey: p.entryKey }) }));
  const runLevel = runLevelOf(block, compiled, stepName);
  const flowTargets = properties.flatMap((p) => p.stepTargets ?? []);
  const outputLevel = block.dimensionality === 'expand' ? runLevel + 1 : runLevel;
  return { name: stepName, block, outputs, properties: compiled, literals: literalsOf(compiled), dependencies: [...dependencies], runLevel, outputLevel, flowTargets };
}

/** Data properties (images, detections…) must agree on a level; parameters broadcast from lower levels. */
function runLevelOf(block: AnyBlock, compiled: readonly CompiledProperty[], stepName: string): number {
  const data = compiled.filter((p) => p.binding.type !== 'literal' && p.spec.accepts === 'selector');
  const collapsing = data.filter((p) => p.spec.collapse);
  const regular = data.filter((p) => !p.spec.collapse);
  let runLevel = Math.max(0, ...compiled.map((p) => p.level));
  if (block.dimensionality === 'collapse') {
    if (collapsing.length === 0) fail(`block ${block.type} collapses a level but none of its collapsing properties is bound`, { stepName });
    const deeper = collapsing[0]!;
    if (deeper.level < 1) {
      fail(`wrong dimensionality: this property must come from a nested level (e.g. per-slice results), but its value has level 0 (vad runs each image of a batch on its own, so it does not collapse the batch into one result as Roboflow does)`, {
        stepName,
        property: deeper.name,
        selector: bindingText(deeper.binding),
      });
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
    if (p.spec.accepts !== 'selector' && p.level > runLevel) {
      fail(`wrong dimensionality: a parameter at level ${p.level} cannot feed a step that runs at level ${runLevel}`, { stepName, property: p.name, selector: bindingText(p.binding) });
    }
  }
  return runLevel;
}

function checkLevel(property: CompiledProperty, expected: number, stepName: string, other?: CompiledProperty) {
  if (property.level === expected) return;
  const versus = other ? ` while "${other.name}" (${bindingText(other.binding)}) has level ${other.level}` : `; expected level ${expected}`;
  fail(`wrong dimensionality: the value has level ${property.level}${versus}`, { stepName, property: property.name, selector: bindingText(property.binding) });
}

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
