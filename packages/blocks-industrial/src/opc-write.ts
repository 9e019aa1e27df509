import type { NodeId } from 'node-opcua-client';
import { loadOpcUa, type OpcConnection } from './opc-connections.js';
import { OpcWriteError, statusNameOf, withTimeout } from './opc-errors.js';
import { pythonStr, pythonTypeName, type OpcTypedValue, type ScalarValue } from './opc-value.js';

export type NodeLookupMode = 'hierarchical' | 'direct';

export interface WriteTarget {
  /** A namespace URI, or its index written in digits (`"2"`). */
  readonly namespace: string;
  readonly objectName: string;
  readonly variableName: string;
  readonly lookup: NodeLookupMode;
}

/**
 * Finds the variable as Roboflow's writer does and writes one value to it:
 * - `hierarchical`: the browse path `0:Objects/<ns>:<part>/…/<ns>:<variable_name>` from the Root
 *   folder, each `/`-separated part of `object_name` one step, over hierarchical references;
 * - `direct`: the string NodeId `ns=<ns>;s=<object_name>/<variable_name>` (`s=<object_name>`
 *   when `variable_name` is empty), as Ignition names its tags.
 * The value is written alone, without timestamps (PLCs such as the S7-1500 refuse writes that
 * carry them), in the Variant type `value_type` chose.
 */
export async function writeValue(connection: OpcConnection, target: WriteTarget, typed: OpcTypedValue, original: ScalarValue, timeoutMs: number): Promise<void> {
  const { opcua } = await loadOpcUa();
  const namespaceIndex = await resolveNamespace(connection, target.namespace, timeoutMs);
  const nodeId = target.lookup === 'direct' ? directNodeId(target, namespaceIndex, opcua.NodeId) : await browse(connection, target, namespaceIndex, timeoutMs);
  const dataType = opcua.DataType[typed.dataType];
  const value = typeof typed.value === 'bigint' ? int64Words(typed.value) : typed.value;
  const status = await withTimeout(
    connection.session.write({ nodeId, attributeId: opcua.AttributeIds.Value, value: { value: { dataType, arrayType: opcua.VariantArrayType.Scalar, value } } }),
    timeoutMs,
    'the write',
  );
  if (status.isGood()) return;
  const name = status.name;
  if (name === 'BadTypeMismatch') {
    const expected = await dataTypeName(connection, nodeId, timeoutMs);
    throw new OpcWriteError('WRONG TYPE ERROR', `Tried to write value '${pythonStr(original)}' (type: ${pythonTypeName(original)}) as ${typed.dataType} but node expects type ${expected}. ${name}`, { keepsConnection: true });
  }
  if (name === 'BadNodeIdUnknown' || name === 'BadNodeIdInvalid' || name === 'BadAttributeIdInvalid') {
    throw new OpcWriteError('WRONG OBJECT OR PROPERTY ERROR', `Could not find node with ${target.lookup === 'direct' ? 'direct ' : ''}NodeId '${nodeId.toString()}'. ${name}`, { keepsConnection: true });
  }
  throw new OpcWriteError('WRITE ERROR', `the server refused to write ${typed.dataType} ${pythonStr(original)} to '${nodeId.toString()}': ${name} (${status.description})`, { keepsConnection: !/Session|SecureChannel|Connection|Timeout|Shutdown/.test(name) });
}

async function resolveNamespace(connection: OpcConnection, namespace: string, timeoutMs: number): Promise<number> {
  if (/^\d+$/.test(namespace)) return Number(namespace);
  // A namespace registered after the session was opened is not in the array read then.
  for (const fresh of [false, true]) {
    if (fresh || !connection.namespaces) connection.namespaces = await withTimeout(connection.session.readNamespaceArray(), timeoutMs, 'reading the NamespaceArray');
    const index = connection.namespaces.indexOf(namespace);
    if (index >= 0) return index;
  }
  throw new OpcWriteError('WRONG NAMESPACE ERROR', `namespace '${namespace}' is not on the server. Available namespaces: ${JSON.stringify(connection.namespaces)}`, { keepsConnection: true });
}

function directNodeId(target: WriteTarget, namespaceIndex: number, NodeIdClass: typeof NodeId): NodeId {
  const identifier = target.variableName ? `${target.objectName}/${target.variableName}` : target.objectName;
  return new NodeIdClass(NodeIdClass.NodeIdType.STRING, identifier, namespaceIndex);
}

async function browse(connection: OpcConnection, target: WriteTarget, namespaceIndex: number, timeoutMs: number): Promise<NodeId> {
  const { opcua } = await loadOpcUa();
  const names = [{ namespaceIndex: 0, name: 'Objects' }, ...target.objectName.split('/').map((name) => ({ namespaceIndex, name })), { namespaceIndex, name: target.variableName }];
  const pathText = names.map((name) => `${name.namespaceIndex}:${name.name}`).join('/');
  const hierarchical = opcua.resolveNodeId('HierarchicalReferences');
  const result = await withTimeout(
    connection.session.translateBrowsePath({
      startingNode: opcua.resolveNodeId('RootFolder'),
      relativePath: { elements: names.map((targetName) => ({ referenceTypeId: hierarchical, isInverse: false, includeSubtypes: true, targetName })) },
    }),
    timeoutMs,
    'the browse path lookup',
  );
  const found = result.targets?.[0]?.targetId;
  if (!result.statusCode.isGood() || !found) {
    throw new OpcWriteError('WRONG OBJECT OR PROPERTY ERROR', `Could not find node at hierarchical path '${pathText}'. ${result.statusCode.name}`, { keepsConnection: true });
  }
  return found;
}

/** The variable's DataType by name (`Double`, `Int32`), or `Unknown` when it cannot be read. */
async function dataTypeName(connection: OpcConnection, nodeId: NodeId, timeoutMs: number): Promise<string> {
  const { opcua } = await loadOpcUa();
  try {
    const dataType = await withTimeout(connection.session.read({ nodeId, attributeId: opcua.AttributeIds.DataType }), timeoutMs, 'reading the DataType');
    const typeId = dataType.value.value as NodeId | null;
    if (!typeId) return 'Unknown';
    if (typeId.namespace === 0 && typeof typeId.value === 'number' && opcua.DataType[typeId.value]) return opcua.DataType[typeId.value]!;
    const browseName = await withTimeout(connection.session.read({ nodeId: typeId, attributeId: opcua.AttributeIds.BrowseName }), timeoutMs, 'reading the DataType name');
    return String(browseName.value.value?.name ?? typeId.toString());
  } catch (error) {
    return statusNameOf(error) ? `Unknown (${statusNameOf(error)})` : 'Unknown';
  }
}

/** node-opcua's 64-bit integers: `[high, low]` 32-bit words of the two's complement. */
function int64Words(value: bigint): [number, number] {
  const bits = BigInt.asUintN(64, value);
  return [Number(bits >> 32n), Number(bits & 0xffffffffn)];
}
