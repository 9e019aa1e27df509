import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type VadServer } from '../src/index.js';
import { postJson, testCacheDir } from './start-server.js';

/**
 * A fire-and-forget sink answers before it has written, so its failure cannot be in the HTTP
 * response: it must reach the server's own log. Here the OPC UA writer aims at a port nothing
 * listens on (127.0.0.1) and the server's pino log is read back.
 */
describe("a fire-and-forget sink's failure goes to the server log", () => {
  const lines: string[] = [];
  let server: VadServer;
  let base: string;
  let modelsDir: string;

  beforeAll(async () => {
    modelsDir = mkdtempSync(path.join(os.tmpdir(), 'vad-models-'));
    server = await createServer({
      config: { port: 0, host: '127.0.0.1', cacheDir: testCacheDir, modelsDir, warmBackbone: false, fitDemoOnStart: false },
      logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }),
    });
    base = await server.listen();
  });

  afterAll(async () => {
    await server?.close();
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it('answers "in the background", then logs the write that failed', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const specification = {
      version: '1.0',
      inputs: [],
      steps: [{ type: 'roboflow_enterprise/opc_writer_sink@v1', name: 'plc', url: `opc.tcp://127.0.0.1:${port}/`, namespace: '2', object_name: 'Line1', variable_name: 'Verdict', value: 'NOK', max_retries: 1 }],
      outputs: [{ type: 'JsonField', name: 'plc', selector: '$steps.plc.*' }],
    };
    const response = await postJson(`${base}/workflows/run`, { specification, inputs: {} });
    expect(response.status).toBe(200);
    expect(response.body.outputs[0].plc).toEqual({ error_status: false, disabled: false, throttling_status: false, message: 'Writing to the OPC UA server in the background task' });
    await expect.poll(() => lines.map((line) => JSON.parse(line) as { level: number; msg: string }).find((entry) => entry.msg.includes('background write failed')), { timeout: 15_000 }).toMatchObject({
      level: 40,
      msg: expect.stringMatching(/^step "plc" \(roboflow_enterprise\/opc_writer_sink@v1\): background write failed: Failed to write NOK to Line1:Verdict in opc\.tcp:\/\/127\.0\.0\.1:\d+\/\. Error: NETWORK ERROR: Failed to connect after 1 attempts/),
    });
  });
});
