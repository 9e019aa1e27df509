import type { ServerConfig } from './config.js';
import type { Metrics } from './metrics.js';
import type { LeasedWorkflow } from './workflow-cache.js';
import { decodeRequestInputs } from './request-inputs.js';
import { serializeOutputs } from './serialize-outputs.js';
import { readAnomalyMapFormat, type RunRequestBody, type RunResponse } from './run-request-body.js';

/** What running one request needs: the limits, and where timings go. A worker has the same. */
export interface RunEnvironment {
  config: Pick<ServerConfig, 'maxImagePixels' | 'allowUrlInputs' | 'allowPrivateUrls' | 'maxUrlBytes' | 'maxImagesPerRequest' | 'urlTimeoutMs'>;
  metrics: Pick<Metrics, 'stepDuration' | 'runDuration'>;
}

/**
 * Runs one request on a compiled workflow: decode the inputs, run, serialise. Step timings always
 * feed the metrics; they are returned only when `enable_profiling` is set. The server runs this in
 * its own process, a worker (`@vad/worker`) runs it for a queued job.
 */
export async function runWorkflowRequest(environment: RunEnvironment, lease: LeasedWorkflow, body: RunRequestBody, options: { signal: AbortSignal; streamId?: string }): Promise<RunResponse> {
  const anomalyMaps = readAnomalyMapFormat(body.anomaly_maps);
  const excluded = Array.isArray(body.excluded_fields) ? body.excluded_fields.filter((f): f is string => typeof f === 'string') : [];
  const { config, metrics } = environment;
  const started = performance.now();
  let outcome = 'error';
  try {
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
    for (const timing of result.profile ?? []) metrics.stepDuration.observe({ block_type: timing.type }, timing.totalMs / 1000);
    const outputs = await serializeOutputs(result.outputs, { anomalyMaps, imageFormat: 'jpeg', jpegQuality: 90 }, excluded);
    outcome = 'ok';
    const response: RunResponse = { outputs };
    if (result.warnings.length > 0) response.warnings = result.warnings;
    if (body.enable_profiling) {
      response.profiler_trace = (result.profile ?? []).map((t) => ({ name: t.step, type: t.type, calls: t.calls, total_ms: Number(t.totalMs.toFixed(3)) }));
    }
    return response;
  } finally {
    metrics.runDuration.observe({ outcome }, (performance.now() - started) / 1000);
  }
}
