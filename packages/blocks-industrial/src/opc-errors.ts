import { VadError } from '@vad/core';

/**
 * What went wrong, as the first words of the block's `message`. Roboflow's writer starts its
 * messages with these (`AUTH ERROR: …`, `WRONG OBJECT OR PROPERTY ERROR: …`), so alarms and
 * dashboards that match on them keep working; `VALUE ERROR`, `TIMEOUT ERROR` and `WRITE ERROR`
 * name cases Roboflow reports as `UNHANDLED ERROR` with a Python exception's repr.
 */
export type OpcErrorCategory =
  | 'AUTH ERROR'
  | 'NETWORK ERROR'
  | 'CONNECTION ERROR'
  | 'SESSION LIMIT ERROR'
  | 'CIRCUIT OPEN'
  | 'WRONG NAMESPACE ERROR'
  | 'WRONG OBJECT OR PROPERTY ERROR'
  | 'WRONG TYPE ERROR'
  | 'VALUE ERROR'
  | 'TIMEOUT ERROR'
  | 'WRITE ERROR'
  | 'SHUTTING DOWN';

/** A write that did not happen; its message becomes the block's `message` with `error_status: true`. */
export class OpcWriteError extends VadError {
  readonly category: OpcErrorCategory;
  /**
   * The session is still good (a wrong value, node or type is the definition's mistake, not the
   * connection's), so it stays pooled; otherwise the pool drops it and the next write reconnects.
   */
  readonly keepsConnection: boolean;

  constructor(category: OpcErrorCategory, detail: string, options: { keepsConnection: boolean; cause?: unknown }) {
    super('VAD_OpcWriteError', { message: `${category}: ${detail}`, cause: options.cause });
    this.category = category;
    this.keepsConnection = options.keepsConnection;
  }

  static override isInstance(error: unknown): error is OpcWriteError {
    return VadError.isInstance(error) && error.name === 'VAD_OpcWriteError';
  }
}

/** The OPC UA status name in a node-opcua error or status (`BadUserAccessDenied`), if any. */
export function statusNameOf(error: unknown): string | undefined {
  const text = error instanceof Error ? error.message : String(error);
  return /\b(Bad[A-Za-z]+|Uncertain[A-Za-z]+)\b/.exec(text)?.[1];
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Resolves as `promise` does, or rejects with a `TIMEOUT ERROR` (or `onTimeout`'s error) after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string, onTimeout?: () => OpcWriteError): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout?.() ?? new OpcWriteError('TIMEOUT ERROR', `no answer to ${what} within ${ms / 1000} s`, { keepsConnection: false })), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
    // The operation that lost the race may still reject; nobody waits for it any more.
    promise.catch(() => undefined);
  }
}
