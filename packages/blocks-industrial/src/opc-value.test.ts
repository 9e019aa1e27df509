import { describe, expect, it } from 'vitest';
import { OpcWriteError } from './opc-errors.js';
import { pythonStr, toOpcValue, type OpcValueType, type ScalarValue } from './opc-value.js';

/** What CPython 3 gives for the same conversion, written out by hand. */
const converts: [OpcValueType, ScalarValue, unknown][] = [
  // Roboflow's decoding of Boolean strings, then bool()
  ['Boolean', true, true],
  ['Boolean', 'true', true],
  ['Boolean', ' TRUE ', true],
  ['Boolean', '1', true],
  ['Boolean', 'false', false],
  ['Boolean', 'yes', false],
  ['Boolean', '', false],
  ['Boolean', 0, false],
  ['Boolean', 2, true],
  ['Boolean', Number.NaN, true],
  // float()
  ['Double', 3.14159265359, 3.14159265359],
  ['Double', '2.5', 2.5],
  ['Double', ' -1e3 ', -1000],
  ['Double', '.5', 0.5],
  ['Double', '1_000.5', 1000.5],
  ['Double', 'inf', Infinity],
  ['Double', '-Infinity', -Infinity],
  ['Double', true, 1],
  ['Float', 3.14, 3.14],
  // int() and the range of each type
  ['Int16', 100, 100],
  ['Int16', '100', 100],
  ['Int16', -32768, -32768],
  ['Int32', '1000', 1000],
  ['Int32', 3.7, 3],
  ['Int32', -3.7, -3],
  ['Int32', ' -7 ', -7],
  ['Int32', true, 1],
  ['SByte', '-50', -50],
  ['UInt16', '200', 200],
  ['UInt32', 4294967295, 4294967295],
  ['Int64', '100000', 100000n],
  ['Int64', '9223372036854775807', 9223372036854775807n],
  ['Int64', '-9223372036854775808', -9223372036854775808n],
  ['Integer', 41, 41n],
  ['UInt64', '18446744073709551615', 18446744073709551615n],
  ['UInt64', 200000, 200000n],
  // str()
  ['String', 'test', 'test'],
  ['String', 123, '123'],
  ['String', 3.14, '3.14'],
  ['String', true, 'True'],
  ['String', Number.NaN, 'nan'],
];

const refuses: [OpcValueType, ScalarValue, RegExp][] = [
  ['Int32', 'abc', /invalid literal for int\(\) with base 10: 'abc'/],
  ['Int32', '3.5', /invalid literal for int\(\)/],
  ['Int32', '1e3', /invalid literal for int\(\)/],
  ['Int32', '', /invalid literal for int\(\)/],
  ['Int32', Number.NaN, /cannot convert float NaN to integer/],
  ['Int32', Infinity, /cannot convert float infinity to integer/],
  ['Int16', 40000, /Value 40000 out of range for Int16/],
  ['Int16', '-32769', /out of range for Int16/],
  ['SByte', 128, /out of range for SByte/],
  ['UInt16', -1, /Value -1 out of range for UInt16/],
  ['UInt32', 4294967296, /out of range for UInt32/],
  ['Int64', '9223372036854775808', /out of range for Int64/],
  ['Integer', '-9223372036854775809', /out of range for Int64/],
  ['UInt64', '-1', /out of range for UInt64/],
  ['Double', 'abc', /could not convert string to float: 'abc'/],
  ['Double', '', /could not convert string to float/],
  ['Double', '0x10', /could not convert string to float/],
  ['Float', 1e39, /out of range for Float/],
];

describe('values converted as Roboflow converts them', () => {
  it.each(converts)('%s of %j is %s', (valueType, value, expected) => {
    const typed = toOpcValue(value, valueType);
    expect(typed.dataType).toBe(valueType === 'Integer' ? 'Int64' : valueType);
    if (typeof expected === 'number' && !Number.isInteger(expected)) expect(typed.value as number).toBeCloseTo(expected, 12);
    else expect(typed.value).toStrictEqual(expected);
  });

  it.each(refuses)('%s of %j is refused', (valueType, value, message) => {
    let thrown: unknown;
    try {
      toOpcValue(value, valueType);
    } catch (error) {
      thrown = error;
    }
    expect(OpcWriteError.isInstance(thrown)).toBe(true);
    expect((thrown as OpcWriteError).category).toBe('VALUE ERROR');
    expect((thrown as OpcWriteError).keepsConnection).toBe(true);
    expect((thrown as Error).message).toMatch(message);
  });

  it('keeps 64-bit integers exact past 2^53, where a JavaScript number would round', () => {
    // 2^53 + 1 is not a double: a conversion through Number would write 9007199254740992.
    expect(toOpcValue('9007199254740993', 'Int64').value).toBe(9007199254740993n);
    expect(Number('9007199254740993')).toBe(9007199254740992);
  });

  it("writes values into messages as Python's str() does", () => {
    expect([true, false, 1.5, -Infinity, 'x'].map((v) => pythonStr(v))).toEqual(['True', 'False', '1.5', '-inf', 'x']);
  });
});
