import { VadError } from '@vad/core';

/**
 * Errors in the shape Roboflow Inference answers with, so their clients show our messages:
 * `{message, error_type, context, inner_error_type, inner_error_message}` (plus `blocks_errors`
 * naming the step and property, as theirs does for definition errors).
 */
export interface ErrorBody {
  message: string;
  error_type: string;
  context: string | null;
  inner_error_type: string | null;
  inner_error_message: string | null;
  blocks_errors?: Array<{ block_id: string; block_type: string | null; property_name: string | null; property_details: string | null }>;
}

/** An HTTP problem that is not a workflow error (not found, unauthorised, too many fits …). */
export class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorType: string,
    message: string,
    readonly context: string | null = null,
  ) {
    super(message);
    this.name = errorType;
  }
}

/** An error response made elsewhere (by a worker, in queue mode), sent on as it is. */
export class ForwardedError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
    this.name = body.error_type;
  }
}

const userErrors = new Set(['VAD_WorkflowCompileError', 'VAD_InvalidInputError', 'VAD_PluginLoadError', 'VAD_ModelLoadError']);

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 8) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** The first VadError in a cause chain that is the user's to fix (bad definition, input or model reference). */
function userCause(error: unknown): VadError | undefined {
  return causeChain(error).find((e): e is VadError => VadError.isInstance(e) && userErrors.has(e.name));
}

function shortName(name: string): string {
  return name.startsWith('VAD_') ? name.slice(4) : name;
}

function where(error: VadError): string | null {
  const parts = [error.stepName && `step "${error.stepName}"`, error.property && `property "${error.property}"`, error.selector && `selector "${error.selector}"`, error.path && `path "${error.path}"`].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : null;
}

function fastifyStatus(error: unknown, options: ErrorResponseOptions): { status: number; type: string; message: string } | undefined {
  const code = (error as { code?: string }).code;
  const statusCode = (error as { statusCode?: number }).statusCode;
  const message = (error as Error).message;
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (error instanceof SyntaxError && statusCode === 400)) {
    return { status: 400, type: 'MalformedPayloadError', message: `the request body is not valid JSON: ${message}` };
  }
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' && options.maxBodyBytes !== undefined) {
    return { status: 413, type: 'PayloadTooLargeError', message: `the request body is larger than this server's limit of ${options.maxBodyBytes} bytes (VAD_MAX_BODY_BYTES)` };
  }
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || statusCode === 413) {
    return { status: 413, type: 'PayloadTooLargeError', message: `the request is too large: ${message}` };
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || statusCode === 415) {
    return { status: 415, type: 'UnsupportedMediaTypeError', message };
  }
  if (code === 'FST_ERR_VALIDATION' || (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500)) {
    return { status: statusCode ?? 400, type: 'MalformedPayloadError', message };
  }
  return undefined;
}

export interface ErrorResponseOptions {
  /** Named in the hint that says how to provide a missing model. */
  modelsDir?: string;
  /** Named when a body is refused for its size. */
  maxBodyBytes?: number;
}

/** How to provide a model that is missing, for the kind of model the message names. */
function modelHint(error: VadError, options: ErrorResponseOptions): string {
  const where = options.modelsDir ? ` in ${options.modelsDir} (VAD_MODELS_DIR)` : ' in the models folder (VAD_MODELS_DIR)';
  if (/^anomaly model /.test(error.message)) {
    return ` — fit it from normal images with POST /vad/models/fit or the web page (the model "demo": POST /vad/demo/fit), or put its file${where}`;
  }
  if (/^detector /.test(error.message)) return ` (the models folder, VAD_MODELS_DIR, is ${options.modelsDir ?? 'not set'})`;
  const what = error.path ? `"${error.path}"` : 'the model';
  return ` — to provide ${what}: put the file${where}, or give the step a path or {"url", "sha256"}`;
}

/** The status and body for any error a route throws. */
export function toErrorResponse(error: unknown, options: ErrorResponseOptions = {}): { status: number; body: ErrorBody } {
  if (error instanceof ForwardedError) return { status: error.statusCode, body: error.body };
  if (error instanceof HttpProblem) {
    return { status: error.statusCode, body: { message: error.message, error_type: error.errorType, context: error.context, inner_error_type: null, inner_error_message: null } };
  }
  if (VadError.isInstance(error)) {
    const user = userCause(error);
    const aborted = causeChain(error).some((e) => VadError.isInstance(e) && e.name === 'VAD_AbortedError');
    const status = aborted ? 504 : user ? 400 : 500;
    const inner = user && user !== error ? user : (error as { cause?: unknown }).cause;
    const located = [error, ...causeChain(error)].find((e): e is VadError => VadError.isInstance(e) && Boolean(e.stepName || e.property));
    const missingModel = user?.name === 'VAD_ModelLoadError' && /not found|no such file|ENOENT|does not exist/i.test(user.message) ? modelHint(user, options) : '';
    const body: ErrorBody = {
      message: error.message + missingModel,
      error_type: shortName(error.name),
      context: where(error) ?? (located ? where(located) : null),
      inner_error_type: inner instanceof Error ? shortName(inner.name) : null,
      inner_error_message: inner instanceof Error ? inner.message : null,
    };
    if (located?.stepName) {
      body.blocks_errors = [{ block_id: located.stepName, block_type: null, property_name: located.property ?? null, property_details: located.selector ?? null }];
    }
    return { status, body };
  }
  const known = fastifyStatus(error, options);
  if (known) return { status: known.status, body: { message: known.message, error_type: known.type, context: 'request', inner_error_type: null, inner_error_message: null } };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { message: `internal error: ${message}`, error_type: 'InternalServerError', context: null, inner_error_type: error instanceof Error ? error.name : null, inner_error_message: message } };
}
