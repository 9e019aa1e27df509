import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWorkflow } from '@vad/core';
import { startOpcUaTestServer, type OpcTestServer, type OpcTestVariable } from '@vad/testing/opc-ua-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStandardRegistry } from '../src/index.js';
import { readCorpus } from './corpus-workflows.js';

/**
 * The corpus's OPC UA writer definitions (sinks/), in the shape of Roboflow's integration test
 * of `roboflow_enterprise/opc_writer_sink@v1`, run through the standard registry against a real
 * OPC UA server laid out as that test lays out its asyncua server: object MyObject1 with one
 * variable per type, and a variable whose string NodeId is `MyObject1/MyVariable1` for direct
 * lookup. Values are read back on the server.
 */
const namespaceUri = 'http://examples.freeopcua.github.io';
const user = { name: 'user1', password: 'password1' };
let server: OpcTestServer;
let folder: string;

const typed: OpcTestVariable[] = (
  [
    ['BoolVar_True', 'Boolean', true],
    ['BoolVar_False', 'Boolean', false],
    ['DoubleVar', 'Double', 0],
    ['FloatVar', 'Float', 0],
    ['Int16Var', 'Int16', 0],
    ['Int32Var', 'Int32', 0],
    ['Int64Var', 'Int64', 0],
    ['SByteVar', 'SByte', 0],
    ['UInt16Var', 'UInt16', 0],
    ['UInt32Var', 'UInt32', 0],
    ['UInt64Var', 'UInt64', 0],
    ['StringVar', 'String', ''],
  ] as const
).map(([name, dataType, value]) => ({ path: `MyObject1/${name}`, dataType, value }));

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'vad-opc-corpus-'));
  server = await startOpcUaTestServer({
    namespaceUri,
    users: { [user.name]: user.password },
    pkiFolder: path.join(folder, 'server-pki'),
    variables: [
      ...typed,
      { path: 'MyObject1/MyVariable1', dataType: 'Int64', value: 1 },
      { nodeId: 'MyObject1/MyVariable1', browseName: 'Direct_MyVariable1', dataType: 'Int64', value: 1 },
    ],
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await rm(folder, { recursive: true, force: true });
});

async function open(file: string) {
  const { registry } = await createStandardRegistry({ plugins: [] });
  return createWorkflow(await readCorpus(`sinks/${file}`), { registry, host: { cacheDir: path.join(folder, 'cache') } });
}

async function write(file: string, variable: string, value: unknown, valueType: string, overrides: Record<string, unknown> = {}) {
  const workflow = await open(file);
  try {
    const inputs = { opc_url: server.url, opc_namespace: namespaceUri, opc_user_name: user.name, opc_password: user.password, opc_object_name: 'MyObject1', opc_variable_name: variable, opc_value: value, opc_value_type: valueType, ...overrides };
    const { outputs } = await workflow.run({ inputs });
    expect(Object.keys(outputs[0]!)).toEqual(['opc_writer_results']);
    return outputs[0]!.opc_writer_results as { error_status: boolean; disabled: boolean; throttling_status: boolean; message: string };
  } finally {
    await workflow.dispose();
  }
}

const succeeded = { error_status: false, disabled: false, throttling_status: false, message: 'Value set successfully' };

describe('Roboflow OPC UA writer definitions against a real server (corpus sinks/)', () => {
  // Roboflow's cases: value_type, variable, value sent, value the server then holds.
  const cases: [string, string, unknown, unknown][] = [
    ['Boolean', 'BoolVar_True', true, true],
    ['Boolean', 'BoolVar_True', 'true', true],
    ['Boolean', 'BoolVar_True', '1', true],
    ['Boolean', 'BoolVar_False', false, false],
    ['Boolean', 'BoolVar_False', 'false', false],
    ['Double', 'DoubleVar', 3.14159265359, 3.14159265359],
    // Single precision: the server holds the float32 nearest to 3.14.
    ['Float', 'FloatVar', 3.14, Math.fround(3.14)],
    ['Int16', 'Int16Var', 100, 100],
    ['Int16', 'Int16Var', '100', 100],
    ['Int32', 'Int32Var', 1000, 1000],
    ['Int32', 'Int32Var', '1000', 1000],
    ['Int64', 'Int64Var', 100000, 100000n],
    ['Int64', 'Int64Var', '100000', 100000n],
    ['Integer', 'Int64Var', 41, 41n],
    ['SByte', 'SByteVar', -50, -50],
    ['SByte', 'SByteVar', '-50', -50],
    ['String', 'StringVar', 'test', 'test'],
    ['String', 'StringVar', 123, '123'],
    ['String', 'StringVar', 3.14, '3.14'],
    ['UInt16', 'UInt16Var', 200, 200],
    ['UInt16', 'UInt16Var', '200', 200],
    ['UInt32', 'UInt32Var', 2000, 2000],
    ['UInt32', 'UInt32Var', '2000', 2000],
    ['UInt64', 'UInt64Var', 200000, 200000n],
    ['UInt64', 'UInt64Var', '200000', 200000n],
  ];

  it.each(cases)('opc-writer.json: %s %s ← %j', async (valueType, variable, value, expected) => {
    // Start each case from a value it does not write, so a write that did nothing fails.
    const start = typeof expected === 'bigint' ? 7n : typeof expected === 'number' ? 7 : typeof expected === 'string' ? 'unset' : !expected;
    server.set(`MyObject1/${variable}`, start);
    expect(await write('opc-writer.json', variable, value, valueType)).toEqual(succeeded);
    expect(server.read(`MyObject1/${variable}`)).toStrictEqual(expected);
  });

  it('opc-writer-direct-node-id.json writes to the string NodeId MyObject1/MyVariable1, not the browse-path variable', async () => {
    server.set('s=MyObject1/MyVariable1', 1n);
    server.set('MyObject1/MyVariable1', 1n);
    expect(await write('opc-writer-direct-node-id.json', 'MyVariable1', 42, 'Integer')).toEqual(succeeded);
    expect(server.read('s=MyObject1/MyVariable1')).toBe(42n);
    expect(server.read('MyObject1/MyVariable1')).toBe(1n);
  });

  it('opc-writer.json anonymously, the namespace by index', async () => {
    server.set('MyObject1/Int32Var', 0);
    expect(await write('opc-writer.json', 'Int32Var', -8, 'Int32', { opc_user_name: null, opc_password: null, opc_namespace: String(server.namespaceIndex) })).toEqual(succeeded);
    expect(server.read('MyObject1/Int32Var')).toBe(-8);
  });

  it('a wrong variable name or password comes back in the outputs, not as an exception', async () => {
    const missing = await write('opc-writer.json', 'MyVariable2', 1, 'Int32');
    expect(missing).toMatchObject({ error_status: true, disabled: false, throttling_status: false });
    expect(missing.message).toMatch(/^Failed to write 1 to MyObject1:MyVariable2 in opc\.tcp:\/\/.*WRONG OBJECT OR PROPERTY ERROR/);
    const refused = await write('opc-writer.json', 'Int32Var', 1, 'Int32', { opc_password: 'password2' });
    expect(refused.error_status).toBe(true);
    expect(refused.message).toMatch(/AUTH ERROR/);
  });

  it("Roboflow's default cooldown (5 s) throttles a second write by the same workflow", async () => {
    const workflow = await open('opc-writer.json');
    try {
      const inputs = (value: number) => ({ opc_url: server.url, opc_namespace: namespaceUri, opc_user_name: user.name, opc_password: user.password, opc_object_name: 'MyObject1', opc_variable_name: 'Int32Var', opc_value: value, opc_value_type: 'Int32' });
      expect((await workflow.run({ inputs: inputs(5) })).outputs[0]!.opc_writer_results).toEqual(succeeded);
      expect((await workflow.run({ inputs: inputs(6) })).outputs[0]!.opc_writer_results).toEqual({ error_status: false, disabled: false, throttling_status: true, message: 'Sink cooldown applies' });
      expect(server.read('MyObject1/Int32Var')).toBe(5);
    } finally {
      await workflow.dispose();
    }
  });
});
