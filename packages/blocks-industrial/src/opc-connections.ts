import path from 'node:path';
import type { ClientSession, OPCUAClient, UserIdentityInfo } from 'node-opcua-client';
import type { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { messageOf, OpcWriteError, statusNameOf, withTimeout } from './opc-errors.js';

/**
 * One OPC UA session per server and credentials, shared by every step (of every workflow) in the
 * process that writes there, as Roboflow pools its asyncua clients by server and user. A step
 * holds the sessions it used until it is disposed; a session nobody holds any more is closed.
 * A server that failed is left alone for a moment (Roboflow's circuit breaker), and one that is
 * out of session slots for half a minute, since a slot only frees when another session times out.
 */

type OpcUa = typeof import('node-opcua-client');
type CertificateManagers = typeof import('node-opcua-certificate-manager');

/** node-opcua takes about a second to load: only workflows that write to OPC UA pay for it. */
let libraries: Promise<{ opcua: OpcUa; certificates: CertificateManagers }> | undefined;
export function loadOpcUa(): Promise<{ opcua: OpcUa; certificates: CertificateManagers }> {
  libraries ??= Promise.all([import('node-opcua-client'), import('node-opcua-certificate-manager')]).then(([opcua, certificates]) => ({ opcua, certificates }));
  return libraries;
}

export interface ServerAddress {
  readonly url: string;
  /** Used only with a password, as Roboflow does; otherwise the session is anonymous. */
  readonly userName?: string | undefined;
  readonly password?: string | undefined;
}

export interface ConnectOptions {
  /** Each connection attempt (channel and session) and each request is bounded by this. */
  readonly timeoutMs: number;
  /** Connection attempts before giving up (Roboflow's `max_retries`). */
  readonly attempts: number;
  /** Wait before the second attempt, doubled before each later one (`retry_backoff_seconds`). */
  readonly backoffMs: number;
  /** The client's certificate store (created on first use); node-opcua's default folder when absent. */
  readonly pkiFolder?: string | undefined;
  readonly sessionTimeoutMs: number;
  readonly sessionLimitBackoffMs: number;
}

/** An open session and what it learnt about its server. */
export interface OpcConnection {
  readonly session: ClientSession;
  /** The server's NamespaceArray, read once per session. */
  namespaces: string[] | undefined;
  /** False once the channel or session broke; the pool then opens a new one. */
  readonly alive: boolean;
  /** How many writes the pool has handed this session to: above 1, it may have gone stale unseen. */
  readonly handedOut: number;
}

interface Entry {
  connection: Promise<Connection> | undefined;
  readonly holders: Set<object>;
}

/** Roboflow waits 2 s before trying a failed server again (`CIRCUIT_BREAKER_TIMEOUT_SECONDS`). */
const circuitBreakerMs = 2000;
/** Roboflow's jitter on the session-limit backoff, so many clients do not come back at once. */
const sessionLimitJitterMs = 15_000;
/** The most that closing sessions may take, all of them together (Roboflow's shutdown budget). */
const closeBudgetMs = 5000;

const authStatuses = new Set(['BadUserAccessDenied', 'BadIdentityTokenInvalid', 'BadIdentityTokenRejected', 'BadUserSignatureInvalid', 'BadCertificateUseNotAllowed']);
const sessionLimitStatuses = new Set(['BadTooManySessions', 'BadMaxConnectionsReached']);

class Connection implements OpcConnection {
  namespaces: string[] | undefined;
  handedOut = 0;
  private broken = false;

  constructor(
    private readonly client: OPCUAClient,
    readonly session: ClientSession,
  ) {
    const breaks = () => (this.broken = true);
    client.on('connection_lost', breaks);
    client.on('close', breaks);
    client.on('backoff', breaks);
    session.on('session_closed', breaks);
    session.on('keepalive_failure', breaks);
  }

  get alive(): boolean {
    return !this.broken;
  }

  async close(ms: number): Promise<void> {
    this.broken = true;
    await withTimeout(this.session.close(true), ms, 'CloseSession').catch(() => undefined);
    await withTimeout(this.client.disconnect(), ms, 'disconnect').catch(() => undefined);
  }
}

export class OpcConnectionPool {
  private readonly entries = new Map<string, Entry>();
  /** Per server and credentials: no new attempt before this time (ms since the epoch). */
  private readonly failedUntil = new Map<string, number>();
  /** Per server: it refused a session for want of slots; no new attempt before this time. */
  private readonly sessionLimitUntil = new Map<string, number>();
  private readonly certificateManagers = new Map<string, Promise<OPCUACertificateManager>>();

  /** The pooled session for `address`, opened (with retries) when there is none or it broke. */
  async connection(holder: object, address: ServerAddress, options: ConnectOptions): Promise<OpcConnection> {
    const key = keyOf(address);
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = { connection: undefined, holders: new Set() }));
    entry.holders.add(holder);
    const current = entry.connection;
    if (current) {
      const pooled = await current.catch(() => undefined);
      if (pooled?.alive) return handOut(pooled);
      if (entry.connection === current) {
        entry.connection = undefined;
        void pooled?.close(closeBudgetMs);
      }
    }
    if (entry.connection) return entry.connection.then(handOut); // another write started reconnecting meanwhile
    this.refuseWhileBackingOff(key, address.url);
    const opening = this.open(address, options);
    entry.connection = opening;
    const opened = entry;
    opening.then(
      () => this.failedUntil.delete(key),
      (error: unknown) => {
        if (opened.connection === opening) opened.connection = undefined;
        if (OpcWriteError.isInstance(error) && error.category === 'SESSION LIMIT ERROR') {
          this.sessionLimitUntil.set(address.url, Date.now() + options.sessionLimitBackoffMs + Math.random() * sessionLimitJitterMs);
        } else this.failedUntil.set(key, Date.now() + circuitBreakerMs);
      },
    );
    return opening.then(handOut);
  }

  /** Closes the session after a failure that leaves its state unknown; the next write opens a new one. */
  async invalidate(address: ServerAddress, connection: OpcConnection): Promise<void> {
    const key = keyOf(address);
    const entry = this.entries.get(key);
    if (entry?.connection && (await entry.connection.catch(() => undefined)) === connection) entry.connection = undefined;
    await (connection as Connection).close(closeBudgetMs);
  }

  /** Lets go of every session `holder` used; those no step holds any more are closed. */
  async release(holder: object): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [key, entry] of this.entries) {
      if (!entry.holders.delete(holder) || entry.holders.size > 0) continue;
      closing.push(this.drop(key, entry));
    }
    await Promise.all(closing);
  }

  /** Sessions open now, for tests and diagnostics. */
  openSessions(): number {
    return [...this.entries.values()].filter((entry) => entry.connection).length;
  }

  private async drop(key: string, entry: Entry): Promise<void> {
    this.entries.delete(key);
    const connection = await entry.connection?.catch(() => undefined);
    await connection?.close(closeBudgetMs);
  }

  private refuseWhileBackingOff(key: string, url: string): void {
    const now = Date.now();
    const limitUntil = this.sessionLimitUntil.get(url);
    if (limitUntil !== undefined && now < limitUntil) {
      throw new OpcWriteError('SESSION LIMIT ERROR', `Server ${url} recently refused a new session, skipping connection attempt. Will retry after ${((limitUntil - now) / 1000).toFixed(1)}s.`, { keepsConnection: false });
    }
    const failedUntil = this.failedUntil.get(key);
    if (failedUntil !== undefined && now < failedUntil) {
      throw new OpcWriteError('CIRCUIT OPEN', `Server ${url} recently failed, skipping connection attempt. Will retry after ${((failedUntil - now) / 1000).toFixed(1)}s.`, { keepsConnection: false });
    }
  }

  private async open(address: ServerAddress, options: ConnectOptions): Promise<Connection> {
    const { opcua } = await loadOpcUa();
    const certificateManager = await this.certificateManager(options.pkiFolder);
    let lastError: unknown;
    for (let attempt = 0; attempt < options.attempts; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, options.backoffMs * 2 ** (attempt - 1)));
      const client = opcua.OPCUAClient.create({
        applicationName: 'vad',
        endpointMustExist: false,
        securityMode: opcua.MessageSecurityMode.None,
        securityPolicy: opcua.SecurityPolicy.None,
        // vad retries itself (max_retries, retry_backoff_seconds); node-opcua's own strategy would retry forever.
        connectionStrategy: { maxRetry: 0, initialDelay: 10, maxDelay: 10 },
        transportTimeout: options.timeoutMs,
        defaultTransactionTimeout: options.timeoutMs,
        requestedSessionTimeout: options.sessionTimeoutMs,
        keepSessionAlive: true,
        keepAliveInterval: Math.max(1000, Math.floor(options.sessionTimeoutMs / 3)),
        ...(certificateManager && { clientCertificateManager: certificateManager }),
      });
      try {
        const session = await withTimeout(connectAndCreateSession(client, address, opcua), options.timeoutMs, `connecting to ${address.url}`, () => new OpcWriteError('NETWORK ERROR', `no answer from ${address.url} within ${options.timeoutMs / 1000} s`, { keepsConnection: false }));
        return new Connection(client, session);
      } catch (error) {
        void withTimeout(client.disconnect(), closeBudgetMs, 'disconnect').catch(() => undefined);
        const status = statusNameOf(error);
        if (status && authStatuses.has(status)) throw new OpcWriteError('AUTH ERROR', `${status}: the server refused ${address.userName && address.password ? `user "${address.userName}"` : 'an anonymous session'}`, { keepsConnection: false, cause: error });
        if (status && sessionLimitStatuses.has(status)) {
          throw new OpcWriteError('SESSION LIMIT ERROR', `server ${address.url} refused a new session (${status}). The server is at its session/connection limit - raise it, or reduce the number of clients.`, { keepsConnection: false, cause: error });
        }
        lastError = error;
      }
    }
    const network = OpcWriteError.isInstance(lastError) || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET|connection cannot be established|rejected by server/i.test(messageOf(lastError));
    throw new OpcWriteError(network ? 'NETWORK ERROR' : 'CONNECTION ERROR', `Failed to connect after ${options.attempts} attempts. Last error: ${lastErrorText(lastError)}`, { keepsConnection: false, cause: lastError });
  }

  private certificateManager(folder: string | undefined): Promise<OPCUACertificateManager> | undefined {
    if (!folder) return undefined;
    let manager = this.certificateManagers.get(folder);
    if (!manager) {
      manager = loadOpcUa().then(({ certificates }) => new certificates.OPCUACertificateManager({ rootFolder: path.resolve(folder), automaticallyAcceptUnknownCertificate: true }));
      this.certificateManagers.set(folder, manager);
    }
    return manager;
  }
}

async function connectAndCreateSession(client: OPCUAClient, address: ServerAddress, opcua: OpcUa): Promise<ClientSession> {
  await client.connect(address.url);
  const identity: UserIdentityInfo | undefined = address.userName && address.password ? { type: opcua.UserTokenType.UserName, userName: address.userName, password: address.password } : undefined;
  return client.createSession(identity);
}

/** node-opcua's connection errors run over several lines; the last one names the cause. */
function lastErrorText(error: unknown): string {
  if (OpcWriteError.isInstance(error)) return error.message.replace(/^[A-Z ]+: /, '');
  return messageOf(error).replace(/\s*\n\s*/g, ' ').trim();
}

function handOut(connection: Connection): Connection {
  connection.handedOut++;
  return connection;
}

function keyOf(address: ServerAddress): string {
  const credentials = address.userName && address.password ? [address.userName, address.password] : [];
  return JSON.stringify([address.url, ...credentials]);
}

/** The pool every OPC UA step in this process shares. */
export const sharedOpcConnections = new OpcConnectionPool();
