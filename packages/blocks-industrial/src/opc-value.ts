import { OpcWriteError } from './opc-errors.js';

/**
 * The values Roboflow's OPC UA writer sends, converted the way its Python does before it hands
 * them to asyncua: `bool()`, `float()`, `int()` with a range check per integer type, `str()`.
 * A conversion that Python refuses (`int('abc')`, `int('3.5')`, an Int16 of 40000) is an
 * `OpcWriteError` of category `VALUE ERROR` here, which the block reports as `error_status: true`
 * without touching the server.
 */

/** Roboflow's `value_type` literals; `Integer` is its older name for Int64. */
export const opcValueTypes = ['Boolean', 'Double', 'Float', 'Int16', 'Int32', 'Int64', 'Integer', 'SByte', 'String', 'UInt16', 'UInt32', 'UInt64'] as const;
export type OpcValueType = (typeof opcValueTypes)[number];

/** The OPC UA built-in type a value is written as. */
export type OpcBuiltInType = Exclude<OpcValueType, 'Integer'>;

export type ScalarValue = string | number | boolean;

/**
 * A value ready for a Variant: 64-bit integers as a BigInt (exact beyond 2^53), the others as
 * JavaScript numbers, booleans and strings.
 */
export interface OpcTypedValue {
  readonly dataType: OpcBuiltInType;
  readonly value: boolean | number | bigint | string;
}

const integerRanges: Readonly<Record<'SByte' | 'Int16' | 'Int32' | 'Int64' | 'UInt16' | 'UInt32' | 'UInt64', readonly [bigint, bigint]>> = {
  SByte: [-128n, 127n],
  Int16: [-32768n, 32767n],
  Int32: [-2147483648n, 2147483647n],
  Int64: [-9223372036854775808n, 9223372036854775807n],
  UInt16: [0n, 65535n],
  UInt32: [0n, 4294967295n],
  UInt64: [0n, 18446744073709551615n],
};

const valueError = (message: string) => new OpcWriteError('VALUE ERROR', message, { keepsConnection: true });

/** Single precision's largest finite value: a larger double cannot be sent as a Float. */
const floatMax = 3.4028234663852886e38;

/** Python's `str()` of a scalar: `True`/`False`, `inf`, `nan`; other numbers as JavaScript prints them. */
export function pythonStr(value: ScalarValue): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  }
  return String(value);
}

/** Python's type name of a scalar, for messages (`int`, `float`, `str`, `bool`). */
export function pythonTypeName(value: ScalarValue): string {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'str';
  return Number.isInteger(value) ? 'int' : 'float';
}

/**
 * Roboflow's decoding and conversion in one: a string given for a Boolean is true when it reads
 * `true` or `1` (any case, surrounding spaces ignored) and false otherwise, as Roboflow decodes it
 * before the write; every other value goes through Python's conversion for the type.
 */
export function toOpcValue(value: ScalarValue, valueType: OpcValueType): OpcTypedValue {
  switch (valueType) {
    case 'Boolean':
      return { dataType: 'Boolean', value: typeof value === 'string' ? ['true', '1'].includes(value.trim().toLowerCase()) : toBool(value) };
    case 'Double':
      return { dataType: 'Double', value: toFloat(value) };
    case 'Float': {
      const float = toFloat(value);
      if (Number.isFinite(float) && Math.abs(float) > floatMax) throw valueError(`Value ${pythonStr(float)} out of range for Float`);
      return { dataType: 'Float', value: float };
    }
    case 'String':
      return { dataType: 'String', value: pythonStr(value) };
    case 'Integer':
      return integer(value, 'Int64');
    default:
      return integer(value, valueType);
  }
}

function integer(value: ScalarValue, dataType: keyof typeof integerRanges): OpcTypedValue {
  const parsed = toInt(value);
  const [low, high] = integerRanges[dataType];
  if (parsed < low || parsed > high) throw valueError(`Value ${parsed} out of range for ${dataType}`);
  return { dataType, value: dataType === 'Int64' || dataType === 'UInt64' ? parsed : Number(parsed) };
}

/** Python's `bool()` of a number or boolean: false only for 0 (NaN is true in Python). */
function toBool(value: boolean | number): boolean {
  return typeof value === 'boolean' ? value : value !== 0;
}

const decimalFloat = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const specialFloat = /^([+-]?)(inf|infinity|nan)$/i;

/** Python's `float()`: booleans as 1.0/0.0; strings as Python reads them (`' 2.5 '`, `1e3`, `inf`, `nan`, `1_000`). */
function toFloat(value: ScalarValue): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  const text = value.trim();
  const special = specialFloat.exec(text);
  if (special) return special[2]!.toLowerCase() === 'nan' ? Number.NaN : special[1] === '-' ? -Infinity : Infinity;
  if (!decimalFloat.test(text)) throw valueError(`could not convert string to float: '${value}'`);
  return Number(text.replaceAll('_', ''));
}

const decimalInteger = /^([+-]?)(\d(?:_?\d)*)$/;

/**
 * Python's `int()`: booleans as 1/0; numbers truncated toward zero (`int(3.7)` is 3); strings
 * only as whole decimal numbers (`'42'`, `' -7 '`, `'1_000'`; not `'3.5'` or `'1e3'`), read
 * exactly however long.
 */
function toInt(value: ScalarValue): bigint {
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw valueError('cannot convert float NaN to integer');
    if (!Number.isFinite(value)) throw valueError('cannot convert float infinity to integer');
    return BigInt(Math.trunc(value));
  }
  const match = decimalInteger.exec(value.trim());
  if (!match) throw valueError(`invalid literal for int() with base 10: '${value}'`);
  const magnitude = BigInt(match[2]!.replaceAll('_', ''));
  return match[1] === '-' ? -magnitude : magnitude;
}
