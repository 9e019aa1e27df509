/**
 * A client that builds requests exactly as Roboflow's Python `inference_sdk`
 * (`InferenceHTTPClient.run_workflow`) does: the same paths, a JSON body with `api_key`,
 * `use_cache`, `enable_profiling`, `inputs` (images as `{"type": "base64", "value"}`, parameters
 * beside them), `excluded_fields` and `specification` only when given, and the `outputs` list
 * read back from the answer. Errors surface as the SDK's do: status code plus the API's message.
 */
export class HttpCallError extends Error {
  constructor(
    readonly statusCode: number,
    readonly apiMessage: string,
    readonly body: Record<string, unknown>,
  ) {
    super(`HTTP ${statusCode}: ${apiMessage}`);
  }
}

export interface RunWorkflowOptions {
  workspaceName?: string;
  workflowId?: string;
  specification?: Record<string, unknown>;
  /** Image name → encoded image bytes (the SDK loads files and encodes them to base64). */
  images?: Record<string, Uint8Array | Uint8Array[]>;
  parameters?: Record<string, unknown>;
  excludedFields?: string[];
  useCache?: boolean;
  enableProfiling?: boolean;
  legacyEndpoints?: boolean;
}

export function createRoboflowStyleClient(apiUrl: string, apiKey: string | undefined) {
  const encode = (bytes: Uint8Array) => ({ type: 'base64', value: Buffer.from(bytes).toString('base64') });
  return {
    async getServerInfo(): Promise<Record<string, unknown>> {
      const response = await fetch(`${apiUrl}/info`);
      if (!response.ok) throw new HttpCallError(response.status, await response.text(), {});
      return (await response.json()) as Record<string, unknown>;
    },
    async runWorkflow(options: RunWorkflowOptions): Promise<Record<string, unknown>[]> {
      const payload: Record<string, unknown> = { api_key: apiKey, use_cache: options.useCache ?? true, enable_profiling: options.enableProfiling ?? false };
      const inputs: Record<string, unknown> = {};
      for (const [name, image] of Object.entries(options.images ?? {})) inputs[name] = Array.isArray(image) ? image.map(encode) : encode(image);
      Object.assign(inputs, options.parameters ?? {});
      payload.inputs = inputs;
      if (options.excludedFields) payload.excluded_fields = options.excludedFields;
      if (options.specification) payload.specification = options.specification;
      let url: string;
      if (options.specification) url = `${apiUrl}/workflows/run`;
      else if (options.legacyEndpoints) url = `${apiUrl}/infer/workflows/${options.workspaceName}/${options.workflowId}`;
      else url = `${apiUrl}/${options.workspaceName}/workflows/${options.workflowId}`;
      const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
      const body = (await response.json()) as Record<string, unknown>;
      if (!response.ok) throw new HttpCallError(response.status, String(body.message ?? ''), body);
      return body.outputs as Record<string, unknown>[];
    },
  };
}
