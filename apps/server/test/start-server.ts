import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createServer, type ServerConfig, type VadServer } from '../src/index.js';

export interface TestServer {
  base: string;
  server: VadServer;
  modelsDir: string;
  close(): Promise<void>;
}

/** A cache shared by test runs (imported backbones are slow to make and safe to reuse). */
export const testCacheDir = process.env.VAD_CACHE_DIR ?? path.join(os.tmpdir(), 'vad-server-test-cache');

/** Starts a real server on an ephemeral loopback port with its own empty models folder. */
export async function startTestServer(config: Partial<ServerConfig> = {}): Promise<TestServer> {
  const modelsDir = config.modelsDir ?? mkdtempSync(path.join(os.tmpdir(), 'vad-models-'));
  const server = await createServer({
    config: { port: 0, host: '127.0.0.1', cacheDir: testCacheDir, warmBackbone: false, fitDemoOnStart: false, ...config, modelsDir },
    logger: pino({ level: process.env.VAD_TEST_LOG ?? 'silent' }),
  });
  const base = await server.listen();
  return {
    base,
    server,
    modelsDir,
    async close() {
      await server.close();
      if (!config.modelsDir) rmSync(modelsDir, { recursive: true, force: true });
    },
  };
}

/** POSTs JSON (or a raw string) and returns the status and parsed body. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON; keep the text
  }
  return { status: response.status, body: parsed };
}
