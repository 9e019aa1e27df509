import type { FrameResult } from '../frame-result.js';
import { toJsonValue } from '../json-value.js';

/** One frame as a JSON object: the line written to JSON lines, the `.json` beside a saved frame. */
export function frameRecord(result: FrameResult, exclude: readonly string[] = []): Record<string, unknown> {
  const outputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(result.outputs)) if (!exclude.includes(name)) outputs[name] = toJsonValue(value);
  return {
    stream: result.streamId,
    sequence: result.sequence,
    connection: result.connection,
    index: result.index,
    capturedAt: new Date(result.capturedAt).toISOString(),
    latencyMs: round(result.latencyMs),
    workflowMs: round(result.workflowMs),
    anomalous: result.anomalous,
    outputs,
    ...(result.warnings.length > 0 && { warnings: result.warnings }),
    ...(result.error !== undefined && { error: result.error }),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
