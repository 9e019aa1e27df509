import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { compileWorkflow, describe, InvalidInputError, type WorkflowDefinition, type WorkflowPlan } from '@vad/core';
import type { ServerContext } from './server-context.js';
import type { WorkflowRequirement } from './workflow-store.js';
import type { RunRequestBody } from './run-request-body.js';
import { checkWorkflowSize } from './workflow-limits.js';

/** Aborts when the client goes away or the request runs past the configured timeout. */
export function requestSignal(reply: FastifyReply, timeoutMs: number): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`the request ran past VAD_REQUEST_TIMEOUT_MS=${timeoutMs}`)), timeoutMs);
  timer.unref();
  reply.raw.once('close', () => {
    clearTimeout(timer);
    if (!reply.raw.writableFinished) controller.abort(new Error('the client closed the connection'));
  });
  return controller.signal;
}

function bodyObject(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidInputError({ message: 'the request body must be a JSON object', property: 'body' });
  }
  return body as Record<string, unknown>;
}

function specificationOf(body: Record<string, unknown>, where: string): WorkflowDefinition {
  const specification = body.specification;
  if (!specification || typeof specification !== 'object' || Array.isArray(specification)) {
    throw new InvalidInputError({ message: `${where} needs "specification": a workflow definition object with inputs, steps and outputs`, property: 'specification' });
  }
  return specification as WorkflowDefinition;
}

function kindNames(kinds: readonly string[]): string[] {
  return [...kinds];
}

/** Roboflow's describe_interface answer: the kinds of every input and output. */
export function describeInterface(plan: WorkflowPlan) {
  const inputs: Record<string, string[]> = {};
  for (const input of plan.inputs) inputs[input.name] = kindNames(input.kinds);
  const outputs: Record<string, string[]> = {};
  for (const output of plan.outputs) {
    if (output.binding.type === 'input') {
      outputs[output.name] = inputs[output.binding.name] ?? ['*'];
      continue;
    }
    const { step: stepName, output: field } = output.binding;
    const step = plan.steps.find((s) => s.name === stepName);
    outputs[output.name] = field === '*' || !step ? ['*'] : kindNames(step.outputs[field]?.kinds ?? ['*']);
  }
  const used = new Set([...Object.values(inputs), ...Object.values(outputs)].flat());
  const typingHints: Record<string, string> = {
    image: 'dict', object_detection_prediction: 'dict', embedding: 'List[float]', float: 'float', float_zero_to_one: 'float', integer: 'int',
    boolean: 'bool', string: 'str', dictionary: 'dict', list_of_values: 'list', anomaly_map: 'dict', '*': 'Any',
  };
  return { inputs, outputs, typing_hints: Object.fromEntries([...used].map((kind) => [kind, typingHints[kind] ?? 'Any'])), kinds_schemas: {} };
}

/** The requirements of a saved workflow that this server's models folder does not satisfy yet. */
async function missingRequirements(context: ServerContext, requires: readonly WorkflowRequirement[]): Promise<WorkflowRequirement[]> {
  const present = await Promise.all(
    requires.map((need) => (need.kind === 'anomaly_model' ? context.models.exists(need.name) : fs.stat(path.join(context.config.modelsDir, need.name)).then((s) => s.isFile(), () => false))),
  );
  // The steps name this server's own folder, so they can be followed as written.
  return requires.filter((_, index) => !present[index]).map((need) => ({ ...need, how: need.how.replaceAll('<VAD_MODELS_DIR>', context.config.modelsDir) }));
}

export function registerWorkflowRoutes(app: FastifyInstance, context: ServerContext) {
  const run = async (reply: FastifyReply, definition: WorkflowDefinition, body: Record<string, unknown>) => {
    checkWorkflowSize(definition, context.config.maxWorkflowSteps);
    const signal = requestSignal(reply, context.config.requestTimeoutMs);
    return context.runs.execute(definition, body as RunRequestBody, { signal });
  };

  app.post('/workflows/run', async (request, reply) => {
    const body = bodyObject(request);
    return run(reply, specificationOf(body, 'POST /workflows/run'), body);
  });

  const saved = async (request: FastifyRequest<{ Params: { workspace: string; workflowId: string } }>, reply: FastifyReply) => {
    const body = bodyObject(request);
    const { definition } = await context.store.get(request.params.workspace, request.params.workflowId, { fresh: body.use_cache === false });
    return run(reply, definition, body);
  };
  app.post('/:workspace/workflows/:workflowId', saved);
  app.post('/infer/workflows/:workspace/:workflowId', saved);

  const describeBlocks = async () => ({ ...describe(context.blocks.registry), sources: Object.fromEntries([...context.blocks.sources].map(([block, source]) => [block.type, source])) });
  app.get('/workflows/blocks/describe', describeBlocks);
  app.post('/workflows/blocks/describe', describeBlocks);

  // Roboflow's validate takes the definition itself as the body; `{specification}` is accepted too.
  app.post('/workflows/validate', async (request) => {
    const body = bodyObject(request);
    const definition = (body.specification && typeof body.specification === 'object' ? body.specification : body) as WorkflowDefinition;
    checkWorkflowSize(definition, context.config.maxWorkflowSteps);
    compileWorkflow(definition, context.blocks.registry);
    return { status: 'ok' };
  });

  app.post('/workflows/describe_interface', async (request) => {
    const body = bodyObject(request);
    let definition: WorkflowDefinition;
    if (typeof body.workspace_name === 'string' && typeof body.workflow_id === 'string') {
      definition = (await context.store.get(body.workspace_name, body.workflow_id)).definition;
    } else {
      definition = specificationOf(body, 'POST /workflows/describe_interface');
    }
    checkWorkflowSize(definition, context.config.maxWorkflowSteps);
    return describeInterface(compileWorkflow(definition, context.blocks.registry));
  });

  // The SDK's describe_workflow_interface for a saved workflow.
  app.post('/:workspace/workflows/:workflowId/describe_interface', async (request) => {
    const { workspace, workflowId } = request.params as { workspace: string; workflowId: string };
    return describeInterface(compileWorkflow((await context.store.get(workspace, workflowId)).definition, context.blocks.registry));
  });

  // Ours: the saved workflows, for the web page and for people exploring the server.
  app.get('/vad/workflows', async () => {
    const list = await context.store.list();
    return {
      workflows: await Promise.all(
        list.map(async (w) => ({
          workspace: w.workspace,
          id: w.id,
          description: w.description ?? null,
          path: `/${w.workspace}/workflows/${w.id}`,
          specification: w.definition,
          missing: await missingRequirements(context, w.requires),
        })),
      ),
    };
  });
  app.get('/vad/workflows/:workspace/:workflowId', async (request) => {
    const { workspace, workflowId } = request.params as { workspace: string; workflowId: string };
    const found = await context.store.get(workspace, workflowId);
    return { workspace: found.workspace, id: found.id, description: found.description ?? null, specification: found.definition };
  });

}
