import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const workerMain = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Whether `redis-server` is installed; under CI=true its absence is a failure, elsewhere a skip. */
export function redisAvailable(): boolean {
  const found = spawnSync('redis-server', ['--version']).status === 0;
  if (found) return true;
  const message = 'redis-server is not installed (apt-get install redis-server; .ci/run installs it)';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping: ${message}`);
  return false;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Lines a child process wrote, and a way to wait for one. */
class Output {
  readonly lines: string[] = [];
  private waiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = [];
  feed(chunk: Buffer) {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      this.lines.push(line);
      this.waiters = this.waiters.filter((waiter) => (waiter.test(line) ? (waiter.resolve(line), false) : true));
    }
  }
  waitFor(test: (line: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    const seen = this.lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; output:\n${this.lines.slice(-20).join('\n')}`)), timeoutMs);
      this.waiters.push({ test, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  }
}

/** A real redis-server on a free loopback port, with nothing persisted (a restart loses its data). */
export async function startRedis(): Promise<{ url: string; port: number; stop(): Promise<void>; start(): Promise<void> }> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const output = new Output();
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => output.feed(chunk));
    await output.waitFor((line) => /Ready to accept connections/.test(line), 10_000, 'redis-server to start');
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly output: Output;
  /** Parsed JSON log lines. */
  logs(): Array<Record<string, unknown>>;
  waitForLog(test: (log: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<Record<string, unknown>>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

const parse = (line: string): Record<string, unknown> => {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return {};
  }
};

/** Starts `vad-worker` (the built dist/main.js) as its own process, as in production. */
export async function startWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const output = new Output();
  const child = spawn(process.execPath, [workerMain], {
    env: { ...process.env, LOG_LEVEL: 'debug', VAD_WORKER_PORT: '0', VAD_MODELS_DIR: mkdtempSync(path.join(os.tmpdir(), 'vad-worker-models-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => output.feed(chunk));
  child.stderr!.on('data', (chunk: Buffer) => output.feed(chunk));
  const worker: WorkerProcess = {
    child,
    output,
    logs: () => output.lines.map(parse),
    waitForLog: (test, timeoutMs, what) => output.waitFor((line) => test(parse(line)), timeoutMs, what).then(parse),
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      return exited;
    },
  };
  await worker.waitForLog((log) => log.msg === 'vad worker taking jobs', 60_000, 'the worker to start');
  return worker;
}
