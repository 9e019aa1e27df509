import type { WorkflowDefinition } from '@vad/core';
import { InvalidInputError } from '@vad/core';
import type { AnomalyMapFormat } from './serialize-outputs.js';

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
