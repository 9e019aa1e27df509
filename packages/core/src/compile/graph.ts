import { fail } from './fail.js';
import type { BoundSteps } from './state.js';

export interface StepGraph {
  /** For each step, the steps that must finish before it. */
  readonly dependencies: ReadonlyMap<string, ReadonlySet<string>>;
  /** Every step, each after its dependencies. */
  readonly order: readonly string[];
}

/** Pass 4: a step depends on the steps it reads and on a flow-control step that governs it; no cycles. */
export function orderSteps(bound: BoundSteps): StepGraph {
  const dependencies = new Map<string, Set<string>>();
  for (const [stepName, properties] of bound) {
    dependencies.set(stepName, new Set(properties.flatMap((p) => (p.binding.type === 'step' ? [p.binding.step] : []))));
  }
  // A flow-control step runs before the steps it governs.
  for (const [stepName, properties] of bound) {
    for (const target of properties.flatMap((p) => p.stepTargets ?? [])) dependencies.get(target)!.add(stepName);
  }
  return { dependencies, order: topologicalOrder(dependencies) };
}

function topologicalOrder(dependencies: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const stack: string[] = [];
  const visit = (name: string) => {
    const seen = state.get(name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      fail(`cycle between steps: ${cycle.join(' → ')}`, { stepName: name });
    }
    state.set(name, 'visiting');
    stack.push(name);
    for (const dependency of dependencies.get(name) ?? []) visit(dependency);
    stack.pop();
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of dependencies.keys()) visit(name);
  return order;
}
