import type { WorkflowDefinition } from './definition.js';
import type { BlockRegistry } from './registry.js';
import { compileInputs } from './compile/inputs.js';
import { assignLevels } from './compile/levels.js';
import { orderSteps } from './compile/graph.js';
import { inlineInnerWorkflows } from './compile/inner-workflows.js';
import { compileOutputs } from './compile/outputs.js';
import type { WorkflowPlan } from './compile/plan.js';
import { bindProperties, ignoresUnknownProperties, unknownProperties } from './compile/properties.js';
import { checkShape } from './compile/shape.js';
import { declareSteps } from './compile/steps.js';

export type { Binding, CompiledInput, CompiledOutput, CompiledProperty, CompiledStep, WorkflowPlan } from './compile/plan.js';

/**
 * Checks a definition against the registry and orders its steps. Every error names the step,
 * the property and the selector it concerns. Each pass stops at the first problem it meets, so
 * with several problems the one reported is the first in this order, then in writing order.
 */
export function compileWorkflow(written: WorkflowDefinition, registry: BlockRegistry): WorkflowPlan {
  checkShape(written);
  const definition = inlineInnerWorkflows(written);
  const inputs = compileInputs(definition.inputs);
  const declared = declareSteps(definition.steps, registry);
  const bound = bindProperties(declared, inputs);
  const graph = orderSteps(bound);
  const steps = assignLevels(declared, bound, graph, inputs);
  const outputs = compileOutputs(definition.outputs, inputs, declared, steps);
  const ignoredProperties = [...declared].flatMap(([stepName, { block, raw }]) =>
    ignoresUnknownProperties(block, raw) ? unknownProperties(block, raw).map((property) => ({ stepName, property })) : [],
  );
  return { inputs: [...inputs.values()], steps, outputs, stateful: steps.some((s) => s.block.stateful), ignoredProperties };
}
