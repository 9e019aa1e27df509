import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBlockRegistry, createWorkflow, type HostContext, type WorkflowDefinition } from '@vad/core';
import { startOpcUaTestServer, type OpcTestServer } from '@vad/testing/opc-ua-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { industrialBlocks } from '../src/index.js';

/**
 * The writer against a real OPC UA server (node-opcua, on 127.0.0.1), started once for the file.
 * Every assertion on a written value reads it back on the server side.
 */
const namespaceUri = 'urn:vad:test:line';
const users = { inspector: 'correct horse' };
let server: OpcTestServer;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'vad-opc-'));
  server = await startOpcUaTestServer({
    namespaceUri,
    users,
    pkiFolder: path.join(folder, 'server-pki'),
    variables: [
      { path: 'Line1/Passed', dataType: 'Boolean', value: false },
      { path: 'Line1/DefectCount', dataType: 'Int32', value: 0 },
      { path: 'Line1/Score', dataType: 'Double', value: 0 },
      { path: 'Line1/Verdict', dataType: 'String', value: '' },
      { path: 'Line1/Serial', dataType: 'Int64', value: 0 },
      { path: 'Line1/Setpoint', dataType: 'Int16', value: 0 },
      { path: 'Line1/Limit', dataType: 'Double', value: 7, readOnly: true },
      { path: 'Plant/Line 2/Station.3/Count', dataType: 'UInt32', value: 0 },
      { nodeId: '[Sample_Tags]/Ramp/South_Person_Count', browseName: 'South_Person_Count', dataType: 'Int32', value: 0 },
      { nodeId: 'Cell7', dataType: 'String', value: '' },
    ],
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await rm(folder, { recursive: true, force: true });
});

/** A one-step definition; properties not given come from `$inputs` of the same name. */
function definition(step: Record<string, unknown>, inputs: string[] = []): WorkflowDefinition {
  return {
    version: '1.0',
    inputs: inputs.map((name) => ({ type: 'WorkflowParameter', name })),
    steps: [{ type: 'vad/opc_writer_sink@v1', name: 'plc', fire_and_forget: false, cooldown_seconds: 0, ...step }],
    outputs: [{ type: 'JsonField', name: 'plc', selector: '$steps.plc.*' }],
  };
}

interface SinkResult {
  error_status: boolean;
  disabled: boolean;
  throttling_status: boolean;
  message: string;
}

function open(step: Record<string, unknown>, host: Partial<HostContext> = {}, inputs: string[] = []) {
  return createWorkflow(definition(step, inputs), { registry: createBlockRegistry(industrialBlocks()), host: { cacheDir: path.join(folder, 'cache'), ...host } });
}

async function runOnce(step: Record<string, unknown>, inputs: Record<string, unknown> = {}, host: Partial<HostContext> = {}) {
  const workflow = open(step, host, Object.keys(inputs));
  try {
    const result = await workflow.run({ inputs });
    return { ...(result.outputs[0]!.plc as SinkResult), warnings: result.warnings };
  } finally {
    await workflow.dispose();
  }
}

const target = (variable: string, more: Record<string, unknown> = {}) => ({ url: server.url, namespace: namespaceUri, object_name: 'Line1', variable_name: variable, ...more });
const ok = { error_status: false, disabled: false, throttling_status: false, message: 'Value set successfully' };

describe('writing to a real OPC UA server', () => {
  it('writes each type by browse path, namespace by URI, anonymously', async () => {
    const cases: [string, string, unknown, unknown][] = [
      ['Passed', 'Boolean', 'TRUE', true],
      ['DefectCount', 'Int32', '1000', 1000],
      ['Score', 'Double', 0.8125, 0.8125],
      ['Verdict', 'String', 'NOK', 'NOK'],
      ['Serial', 'Int64', '9007199254740993', 9007199254740993n],
      ['Setpoint', 'Int16', -12.9, -12],
    ];
    for (const [variable, valueType, value, expected] of cases) {
      expect(await runOnce(target(variable, { value, value_type: valueType }))).toMatchObject(ok);
      expect(server.read(`Line1/${variable}`), `${valueType} ${String(value)}`).toStrictEqual(expected);
    }
  });

  it('writes with a user name and password, the namespace given by its index', async () => {
    const result = await runOnce(target('DefectCount', { namespace: String(server.namespaceIndex), user_name: 'inspector', password: users.inspector, value: 17, value_type: 'Int32' }));
    expect(result).toMatchObject(ok);
    expect(server.read('Line1/DefectCount')).toBe(17);
  });

  it('walks an object path of several levels, names with spaces and dots included', async () => {
    expect(await runOnce({ url: server.url, namespace: namespaceUri, object_name: 'Plant/Line 2/Station.3', variable_name: 'Count', value: 3, value_type: 'UInt32' })).toMatchObject(ok);
    expect(server.read('Plant/Line 2/Station.3/Count')).toBe(3);
  });

  it('writes by direct NodeId, as Ignition names its tags', async () => {
    const result = await runOnce({ url: server.url, namespace: namespaceUri, object_name: '[Sample_Tags]/Ramp', variable_name: 'South_Person_Count', value: '42', value_type: 'Int32', node_lookup_mode: 'direct' });
    expect(result).toMatchObject(ok);
    expect(server.read('s=[Sample_Tags]/Ramp/South_Person_Count')).toBe(42);
    // An empty variable_name makes object_name the whole identifier.
    expect(await runOnce({ url: server.url, namespace: String(server.namespaceIndex), object_name: 'Cell7', variable_name: '', value: 'PASS', node_lookup_mode: 'direct' })).toMatchObject(ok);
    expect(server.read('s=Cell7')).toBe('PASS');
  });

  it('reads every property from workflow inputs', async () => {
    const inputs = { url: server.url, namespace: namespaceUri, object_name: 'Line1', variable_name: 'Verdict', value: 'OK', value_type: 'String', user_name: 'inspector', password: users.inspector };
    const step = Object.fromEntries(Object.keys(inputs).map((name) => [name, `$inputs.${name}`]));
    expect(await runOnce(step, inputs)).toMatchObject(ok);
    expect(server.read('Line1/Verdict')).toBe('OK');
  });
});

describe('what goes wrong is named, and nothing is written', () => {
  const failsWith = async (step: Record<string, unknown>, pattern: RegExp, variable?: string) => {
    const before = variable ? server.read(variable) : undefined;
    const result = await runOnce(step);
    expect(result.error_status, result.message).toBe(true);
    expect(result.message).toMatch(pattern);
    expect(result.warnings.some((w) => pattern.test(w)), 'the failure is a warning of the run').toBe(true);
    if (variable) expect(server.read(variable)).toStrictEqual(before);
    return result;
  };

  it('a variable that is not there, by browse path and by NodeId', async () => {
    const result = await failsWith(target('DefectCuont', { value: 1, value_type: 'Int32' }), /WRONG OBJECT OR PROPERTY ERROR: Could not find node at hierarchical path '0:Objects\/\d+:Line1\/\d+:DefectCuont'/);
    expect(result.message).toMatch(/^Failed to write 1 to Line1:DefectCuont in opc\.tcp:\/\/127\.0\.0\.1:\d+\/vad\/test\. Error: /);
    await failsWith({ ...target('DefectCount', { value: 1, value_type: 'Int32' }), object_name: 'Line9' }, /WRONG OBJECT OR PROPERTY ERROR: .*\d+:Line9/);
    await failsWith({ url: server.url, namespace: namespaceUri, object_name: '[Sample_Tags]/Ramp', variable_name: 'North', value: 1, value_type: 'Int32', node_lookup_mode: 'direct' }, /WRONG OBJECT OR PROPERTY ERROR: Could not find node with direct NodeId 'ns=\d+;s=\[Sample_Tags\]\/Ramp\/North'\. BadNodeIdUnknown/);
  });

  it('a namespace the server does not have, listing those it has', async () => {
    await failsWith(target('DefectCount', { namespace: 'urn:vad:test:elsewhere', value: 1, value_type: 'Int32' }), /WRONG NAMESPACE ERROR: namespace 'urn:vad:test:elsewhere' is not on the server\. Available namespaces: \[.*"urn:vad:test:line".*\]/);
  });

  it('a wrong password, and a user the server does not know', async () => {
    await failsWith(target('DefectCount', { user_name: 'inspector', password: 'battery staple', value: 5, value_type: 'Int32' }), /AUTH ERROR: BadUserAccessDenied: the server refused user "inspector"/, 'Line1/DefectCount');
    await failsWith(target('DefectCount', { user_name: 'visitor', password: 'x', value: 5, value_type: 'Int32' }), /AUTH ERROR: .*user "visitor"/, 'Line1/DefectCount');
  });

  it('a value that does not convert to value_type, before anything is sent', async () => {
    await failsWith(target('DefectCount', { value: 'abc', value_type: 'Int32' }), /VALUE ERROR: invalid literal for int\(\) with base 10: 'abc' \(value_type Int32\)/, 'Line1/DefectCount');
    await failsWith(target('Setpoint', { value: 40000, value_type: 'Int16' }), /VALUE ERROR: Value 40000 out of range for Int16/, 'Line1/Setpoint');
  });

  it("a value_type that is not the variable's, naming the variable's type", async () => {
    await failsWith(target('DefectCount', { value: 2.5, value_type: 'Double' }), /WRONG TYPE ERROR: Tried to write value '2\.5' \(type: float\) as Double but node expects type Int32\. BadTypeMismatch/, 'Line1/DefectCount');
  });

  it('a variable that is read-only', async () => {
    await failsWith(target('Limit', { value: 9, value_type: 'Double' }), /WRITE ERROR: .*BadNotWritable/, 'Line1/Limit');
  });

  it('a server that refuses the connection, after max_retries attempts', async () => {
    const port = await closedPort();
    const url = `opc.tcp://127.0.0.1:${port}/vad/test`;
    const result = await failsWith({ ...target('DefectCount', { value: 1, value_type: 'Int32' }), url, max_retries: 2 }, /NETWORK ERROR: Failed to connect after 2 attempts\. Last error: .*ECONNREFUSED/);
    expect(result.message).toContain(`in ${url}.`);
    // Within 2 s of that failure the server is not tried again (Roboflow's circuit breaker).
    await failsWith({ ...target('DefectCount', { value: 1, value_type: 'Int32' }), url }, /CIRCUIT OPEN: Server opc\.tcp:\/\/127\.0\.0\.1:\d+\/vad\/test recently failed/);
  });

  it('a server that never answers: bounded by timeout', async () => {
    const silent = net.createServer((socket) => socket.on('data', () => undefined));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `opc.tcp://127.0.0.1:${(silent.address() as net.AddressInfo).port}/vad/test`;
      const started = performance.now();
      await failsWith({ ...target('DefectCount', { value: 1, value_type: 'Int32' }), url, timeout: 0.5, max_retries: 2, retry_backoff_seconds: 0 }, /NETWORK ERROR: Failed to connect after 2 attempts/);
      const seconds = (performance.now() - started) / 1000;
      expect(seconds).toBeGreaterThan(0.9);
      expect(seconds).toBeLessThan(3);
    } finally {
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe("Roboflow's switches", () => {
  it('disable_sink writes nothing and says so', async () => {
    server.set('Line1/DefectCount', 0);
    const result = await runOnce(target('DefectCount', { value: 99, value_type: 'Int32', disable_sink: true }));
    expect(result).toMatchObject({ disabled: true, error_status: false, throttling_status: false, message: 'Sink was disabled by parameter `disable_sink`' });
    expect(server.read('Line1/DefectCount')).toBe(0);
  });

  it('cooldown_seconds: a run within it writes nothing, the first after it writes', async () => {
    let now = 1_000_000;
    const workflow = open(target('DefectCount', { value: '$inputs.count', value_type: 'Int32', cooldown_seconds: 5 }), { clock: () => now }, ['count']);
    const write = async (count: number) => (await workflow.run({ inputs: { count } })).outputs[0]!.plc as SinkResult;
    try {
      expect(await write(1)).toMatchObject(ok);
      now += 4999;
      expect(await write(2)).toMatchObject({ throttling_status: true, error_status: false, disabled: false, message: 'Sink cooldown applies' });
      expect(server.read('Line1/DefectCount')).toBe(1);
      now += 1;
      expect(await write(3)).toMatchObject(ok);
      expect(server.read('Line1/DefectCount')).toBe(3);
      // A failed write starts the cooldown too, as in Roboflow.
      now += 5000;
      expect((await write(1e12)).error_status).toBe(true);
      now += 1000;
      expect((await write(4)).throttling_status).toBe(true);
    } finally {
      await workflow.dispose();
    }
  });

  it('fire_and_forget returns at once; the value arrives; dispose waits for it', async () => {
    server.set('Line1/Verdict', '');
    const workflow = open(target('Verdict', { value: 'NOK', fire_and_forget: true }));
    const result = (await workflow.run({ inputs: {} })).outputs[0]!.plc as SinkResult;
    expect(result).toEqual({ error_status: false, disabled: false, throttling_status: false, message: 'Writing to the OPC UA server in the background task' });
    await workflow.dispose();
    expect(server.read('Line1/Verdict')).toBe('NOK');
  });

  it('a failed fire-and-forget write goes to the host log and to the next run', async () => {
    const logged: string[] = [];
    const workflow = open(target('Nope', { value: '$inputs.value', fire_and_forget: true }), { logger: { warn: (message) => logged.push(message) } }, ['value']);
    try {
      const first = await workflow.run({ inputs: { value: 'a' } });
      expect((first.outputs[0]!.plc as SinkResult).error_status).toBe(false);
      await expect.poll(() => logged.length, { timeout: 10_000 }).toBe(1);
      expect(logged[0]).toMatch(/^step "plc" \(roboflow_enterprise\/opc_writer_sink@v1\): background write failed: Failed to write a to Line1:Nope .*WRONG OBJECT OR PROPERTY ERROR/);
      const second = await workflow.run({ inputs: { value: 'b' } });
      expect(second.warnings).toHaveLength(1);
      expect(second.warnings[0]).toMatch(/plc.*an earlier background write failed: Failed to write a to Line1:Nope/);
    } finally {
      await workflow.dispose();
    }
  });
});

describe('sessions', () => {
  it('one session per server and credentials, reused across runs and steps, closed on dispose', async () => {
    await expect.poll(() => server.sessionCount(), { timeout: 5000 }).toBe(0);
    const registry = createBlockRegistry(industrialBlocks());
    const step = (name: string, variable: string, valueType: string, user?: boolean) => ({
      type: 'roboflow_enterprise/opc_writer_sink@v1',
      name,
      ...target(variable, { value: '$inputs.n', value_type: valueType, fire_and_forget: false, cooldown_seconds: 0 }),
      ...(user && { user_name: 'inspector', password: users.inspector }),
    });
    const workflow = createWorkflow(
      {
        version: '1.0',
        inputs: [{ type: 'WorkflowParameter', name: 'n' }],
        steps: [step('a', 'DefectCount', 'Int32'), step('b', 'Setpoint', 'Int16'), step('c', 'DefectCount', 'Int32', true)],
        outputs: [{ type: 'JsonField', name: 'a', selector: '$steps.a.error_status' }, { type: 'JsonField', name: 'b', selector: '$steps.b.error_status' }, { type: 'JsonField', name: 'c', selector: '$steps.c.error_status' }],
      },
      { registry, host: { cacheDir: path.join(folder, 'cache') } },
    );
    try {
      for (let n = 1; n <= 5; n++) expect((await workflow.run({ inputs: { n } })).outputs[0]).toEqual({ a: false, b: false, c: false });
      expect(server.read('Line1/Setpoint')).toBe(5);
      // Steps a and b share the anonymous session; c has its own, as a user.
      expect(server.sessionCount()).toBe(2);
    } finally {
      await workflow.dispose();
    }
    await expect.poll(() => server.sessionCount(), { timeout: 5000 }).toBe(0);
  });

  it('a pooled session that died with its server is replaced, and the write goes through', async () => {
    const port = await closedPort();
    const restartable = () =>
      startOpcUaTestServer({ namespaceUri, users, port, pkiFolder: path.join(folder, 'restart-pki'), variables: [{ path: 'Line1/DefectCount', dataType: 'Int32', value: 0 }] });
    let first = await restartable();
    const workflow = open({ ...target('DefectCount', { value: '$inputs.n', value_type: 'Int32' }), url: first.url }, {}, ['n']);
    try {
      expect((await workflow.run({ inputs: { n: 1 } })).outputs[0]!.plc).toMatchObject(ok);
      await first.close();
      first = await restartable();
      expect((await workflow.run({ inputs: { n: 2 } })).outputs[0]!.plc).toMatchObject(ok);
      expect(first.read('Line1/DefectCount')).toBe(2);
    } finally {
      await workflow.dispose();
      await first.close();
    }
  }, 60_000);
});

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
