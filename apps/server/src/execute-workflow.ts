import type { WorkflowDefinition } from '@vad/core';
import { InvalidInputError } from '@vad/core';
import type { ServerContext } from './server-context.js';
import { decodeRequestInputs } from './request-inputs.js';
import { serializeOutputs, type AnomalyMapFormat } from './serialize-outputs.js';

/** The body of a run request, as Roboflow's clients send it (plus `anomaly_maps`, ours). */
export interface RunRequestBody {
  api_key?: string;
  inputs?: Record<string, unknown>;
  specification?: WorkflowDefinition;
  use_cache?: boolean;
  enable_profiling?: boolean;
  excluded_fields?: string[];
  anomaly_maps?: AnomalyMapFormat;
  workflow_id?: string;
}

export interface RunResponse {
  outputs: Record<string, unknown>[];
  warnings?: string[];
  profiler_trace?: Array<{ name: string; type: string; calls: number; total_ms: number }>;
}

export function readAnomalyMapFormat(value: unknown): AnomalyMapFormat {
  if (value === undefined || value === null) return 'summary';
  if (value === 'summary' || value === 'png' || value === 'values') return value;
  throw new InvalidInputError({ message: `"anomaly_maps" must be "summary", "png" or "values", not ${JSON.stringify(value)}`, property: 'anomaly_maps' });
}

/**
 * Runs one workflow request: compile (cached by definition hash), wait for a slot, decode the
 * inputs, run, serialise. Step timings always feed the metrics; they are returned only when
 * `enable_profiling` is set.
 */
export async function executeWorkflow(
  context: ServerContext,
  definition: WorkflowDefinition,
  body: RunRequestBody,
  options: { signal: AbortSignal; streamId?: string },
): Promise<RunResponse> {
  const anomalyMaps = readAnomalyMapFormat(body.anomaly_maps);
  const excluded = Array.isArray(body.excluded_fields) ? body.excluded_fields.filter((f): f is string => typeof f === 'string') : [];
  const lease = context.workflows.acquire(definition);
  context.metrics.workflowCacheSize.set(context.workflows.size);
  try {
    return await context.queue.run(async () => {
      const started = performance.now();
      let outcome = 'error';
      try {
        const { config } = context;
        const inputs = await decodeRequestInputs(lease.workflow.plan, body.inputs, {
          maxImagePixels: config.maxImagePixels,
          allowUrlInputs: config.allowUrlInputs,
          allowPrivateUrls: config.allowPrivateUrls,
          maxUrlBytes: config.maxUrlBytes,
          maxImages: config.maxImagesPerRequest,
          timeoutMs: config.urlTimeoutMs,
          signal: options.signal,
        });
        const result = await lease.workflow.run({ inputs, profile: true, signal: options.signal, streamId: options.streamId });
        for (const timing of result.profile ?? []) context.metrics.stepDuration.observe({ block_type: timing.type }, timing.totalMs / 1000);
        const outputs = await serializeOutputs(result.outputs, { anomalyMaps, imageFormat: 'jpeg', jpegQuality: 90 }, excluded);
        outcome = 'ok';
        const response: RunResponse = { outputs };
        if (result.warnings.length > 0) response.warnings = result.warnings;
        if (body.enable_profiling) {
          response.profiler_trace = (result.profile ?? []).map((t) => ({ name: t.step, type: t.type, calls: t.calls, total_ms: Number(t.totalMs.toFixed(3)) }));
        }
        return response;
      } finally {
        context.metrics.runDuration.observe({ outcome }, (performance.now() - started) / 1000);
      }
    }, options.signal);
  } finally {
    lease.release();
  }
}
