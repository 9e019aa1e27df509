import path from 'node:path';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { OPCUAServer, RegisterServerMethod } from 'node-opcua-server';

/**
 * A real OPC UA server (node-opcua) for tests of the industrial sinks, on 127.0.0.1 and a free
 * port: one namespace, objects and typed variables as the test declares them, anonymous sessions
 * and user name / password ones. Values are read back on the server side, from its address space,
 * so a test checks what a PLC would see, not what the client believes it wrote.
 */

export type OpcTestDataType = 'Boolean' | 'SByte' | 'Int16' | 'Int32' | 'Int64' | 'UInt16' | 'UInt32' | 'UInt64' | 'Float' | 'Double' | 'String';
export type OpcTestValue = boolean | number | bigint | string;

export interface OpcTestVariable {
  /** `Object/Sub/Variable`: objects are made under Objects (nested by `/`), the variable in the last. */
  readonly path?: string;
  /** Or a variable with the string NodeId `ns=<namespace>;s=<nodeId>` right under Objects (Ignition's tags). */
  readonly nodeId?: string;
  /** Its browse name when made by `nodeId` (default: the NodeId string). */
  readonly browseName?: string;
  readonly dataType: OpcTestDataType;
  readonly value: OpcTestValue;
  /** Only readable, so a write is refused with BadNotWritable. */
  readonly readOnly?: boolean;
}

export interface OpcTestServerOptions {
  readonly namespaceUri: string;
  readonly variables: readonly OpcTestVariable[];
  /** Accepted user names and their passwords; anonymous sessions are allowed too. */
  readonly users: Readonly<Record<string, string>>;
  /** Where the server keeps its certificates (a temporary folder). */
  readonly pkiFolder: string;
  /** A fixed port, to start a server again where a client knew it; a free one by default. */
  readonly port?: number;
}

export interface OpcTestServer {
  /** `opc.tcp://127.0.0.1:<port>/vad/test` */
  readonly url: string;
  readonly namespaceIndex: number;
  /**
   * The value a variable holds now (64-bit integers as bigint), by its `path` as declared, or
   * `s=<nodeId>` for one declared by `nodeId`.
   */
  read(variable: string): OpcTestValue;
  /** Sets a variable on the server side (to start a test from a known value); named as for `read`. */
  set(variable: string, value: OpcTestValue): void;
  /** Sessions open on the server now. */
  sessionCount(): number;
  close(): Promise<void>;
}

export async function startOpcUaTestServer(options: OpcTestServerOptions): Promise<OpcTestServer> {
  const server = new OPCUAServer({
    host: '127.0.0.1',
    hostname: '127.0.0.1',
    port: options.port ?? 0,
    resourcePath: '/vad/test',
    allowAnonymous: true,
    registerServerMethod: RegisterServerMethod.HIDDEN,
    userManager: { isValidUser: (userName: string, password: string) => options.users[userName] !== undefined && options.users[userName] === password },
    serverCertificateManager: new OPCUACertificateManager({ rootFolder: path.join(options.pkiFolder, 'server'), automaticallyAcceptUnknownCertificate: true }),
    userCertificateManager: new OPCUACertificateManager({ rootFolder: path.join(options.pkiFolder, 'users'), automaticallyAcceptUnknownCertificate: true }),
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const namespace = addressSpace.registerNamespace(options.namespaceUri);
  const objectsFolder = addressSpace.rootFolder.objects;
  type UAObject = ReturnType<typeof namespace.addObject>;
  const objects = new Map<string, UAObject>();
  const variables = new Map<string, { variable: ReturnType<typeof namespace.addVariable>; dataType: OpcTestDataType }>();

  const objectAt = (parts: readonly string[]): UAObject => {
    const key = parts.join('/');
    let object = objects.get(key);
    if (!object) {
      const browseName = parts[parts.length - 1]!;
      object = parts.length === 1 ? namespace.addObject({ organizedBy: objectsFolder, browseName }) : namespace.addObject({ componentOf: objectAt(parts.slice(0, -1)), browseName });
      objects.set(key, object);
    }
    return object;
  };

  for (const declared of options.variables) {
    const access = declared.readOnly ? 'CurrentRead' : 'CurrentRead | CurrentWrite';
    const common = { dataType: declared.dataType, accessLevel: access, userAccessLevel: access, value: { dataType: declared.dataType, arrayType: 'Scalar', value: toVariantValue(declared.dataType, declared.value) } } as const;
    if (declared.path) {
      const parts = declared.path.split('/');
      const variable = namespace.addVariable({ ...common, componentOf: objectAt(parts.slice(0, -1)), browseName: parts[parts.length - 1]! });
      variables.set(declared.path, { variable, dataType: declared.dataType });
    } else if (declared.nodeId) {
      const variable = namespace.addVariable({ ...common, nodeId: `s=${declared.nodeId}`, organizedBy: objectsFolder, browseName: declared.browseName ?? declared.nodeId });
      variables.set(`s=${declared.nodeId}`, { variable, dataType: declared.dataType });
    } else throw new Error('an OPC UA test variable needs a path or a nodeId');
  }

  await server.start();
  const port = server.endpoints[0]!.port;
  const variable = (name: string) => {
    const found = variables.get(name);
    if (!found) throw new Error(`the OPC UA test server has no variable "${name}"`);
    return found;
  };

  return {
    url: `opc.tcp://127.0.0.1:${port}/vad/test`,
    namespaceIndex: namespace.index,
    read(name) {
      const held = variable(name).variable.readValue().value;
      return fromVariantValue(held.dataType, held.value);
    },
    set(name, value) {
      const { variable: found, dataType } = variable(name);
      found.setValueFromSource({ dataType, arrayType: 'Scalar', value: toVariantValue(dataType, value) });
    },
    sessionCount: () => server.currentSessionCount,
    close: () => server.shutdown(0),
  };
}

/** node-opcua holds 64-bit integers as `[high, low]` 32-bit words of the two's complement. */
function toVariantValue(dataType: OpcTestDataType, value: OpcTestValue): unknown {
  if (dataType !== 'Int64' && dataType !== 'UInt64') return value;
  const bits = BigInt.asUintN(64, BigInt(value as number | bigint));
  return [Number(bits / 4294967296n), Number(bits % 4294967296n)];
}

function fromVariantValue(dataType: number, value: unknown): OpcTestValue {
  // DataType.Int64 = 8, DataType.UInt64 = 9 (OPC UA Part 6, built-in type ids).
  if ((dataType === 8 || dataType === 9) && Array.isArray(value)) {
    const unsigned = BigInt(value[0] as number) * 4294967296n + BigInt(value[1] as number);
    return dataType === 8 ? BigInt.asIntN(64, unsigned) : unsigned;
  }
  return value as OpcTestValue;
}
