import { InvalidInputError } from '../errors.js';
import { containsPoint, type PolygonPoint } from '../polygon.js';
import { isDetections } from '../values.js';
import { applyOperations, pythonString, type Parameters } from './operations.js';
import type { Operand, Statement } from './schema.js';

/**
 * Roboflow's statements (StatementGroup, BinaryStatement, UnaryStatement) evaluated over named
 * parameters, as Python evaluates them: comparing things that cannot be compared (a number with
 * nothing, say) and naming a parameter that was not given are errors, not `false`.
 */
type Compare = (a: unknown, b: unknown, fail: (problem: string) => never) => boolean;

const ordered = (test: (a: number | string, b: number | string) => boolean): Compare => (a, b, fail) => {
  const comparable = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  return comparable ? test(a, b) : fail(`cannot compare ${pythonString(a)} with ${pythonString(b)}`);
};
const strings = (test: (a: string, b: string) => boolean): Compare => (a, b, fail) =>
  typeof a === 'string' && typeof b === 'string' ? test(a, b) : fail(`needs two strings, got ${pythonString(a)} and ${pythonString(b)}`);
const contains: Compare = (a, b, fail) => {
  if (Array.isArray(b)) return b.some((item) => valuesEqual(item, a));
  if (typeof b === 'string') return typeof a === 'string' ? b.includes(a) : fail(`cannot look for ${pythonString(a)} in a string`);
  if (b && typeof b === 'object') return Object.hasOwn(b, pythonString(a));
  return fail(`needs a list, a string or a dictionary on the right, got ${pythonString(b)}`);
};
const eachIn = (quantifier: 'some' | 'every'): Compare => (a, b, fail) =>
  Array.isArray(a) ? a[quantifier]((item) => contains(item, b, fail)) : fail(`needs a list on the left, got ${pythonString(a)}`);

const binaryComparators: Record<string, Compare> = {
  '==': (a, b) => valuesEqual(a, b),
  '!=': (a, b) => !valuesEqual(a, b),
  '(Number) ==': (a, b) => valuesEqual(a, b),
  '(Number) !=': (a, b) => !valuesEqual(a, b),
  '(Number) >': ordered((a, b) => a > b),
  '(Number) >=': ordered((a, b) => a >= b),
  '(Number) <': ordered((a, b) => a < b),
  '(Number) <=': ordered((a, b) => a <= b),
  '(String) startsWith': strings((a, b) => a.startsWith(b)),
  '(String) endsWith': strings((a, b) => a.endsWith(b)),
  '(String) contains': strings((a, b) => a.includes(b)),
  'in (Sequence)': contains,
  in: contains,
  'any in (Sequence)': eachIn('some'),
  'all in (Sequence)': eachIn('every'),
  '(Detection) in zone': (a, b, fail) => pointInZone(a, b, fail),
};

const isPoint = (p: unknown): p is [number, number] => Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number';

/** A point `[x, y]` (e.g. a detection's `center`) inside a polygon `[[x, y], …]`, its border included. */
function pointInZone(point: unknown, zone: unknown, fail: (problem: string) => never): boolean {
  if (!isPoint(point)) return fail(`needs a point [x, y] on the left (e.g. ExtractDetectionProperty center), got ${pythonString(point)}`);
  if (!Array.isArray(zone) || zone.length < 3 || !zone.every(isPoint)) return fail(`needs a zone of at least 3 points [[x, y], …] on the right, got ${pythonString(zone)}`);
  return containsPoint(zone as PolygonPoint[], point);
}

const length = (a: unknown, fail: (problem: string) => never): number => {
  if (isDetections(a)) return a.predictions.length;
  if (Array.isArray(a) || typeof a === 'string') return a.length;
  if (a && typeof a === 'object') return Object.keys(a).length;
  return fail(`needs a sequence, got ${pythonString(a)}`);
};
const unaryOperators: Record<string, (a: unknown, fail: (problem: string) => never) => boolean> = {
  Exists: (a) => a !== null && a !== undefined,
  DoesNotExist: (a) => a === null || a === undefined,
  '(Boolean) is True': (a) => a === true,
  '(Boolean) is False': (a) => a === false,
  IsTrue: (a) => a === true,
  IsFalse: (a) => a === false,
  '(Sequence) is empty': (a, fail) => length(a, fail) === 0,
  '(Sequence) is not empty': (a, fail) => length(a, fail) > 0,
};

/** True when the statement holds for these parameters; `where` names it in errors. */
export function evaluateStatement(statement: Statement, parameters: Parameters, where = 'statement'): boolean {
  switch (statement.type) {
    case 'StatementGroup': {
      const results = statement.statements.map((s, index) => evaluateStatement(s, parameters, `${where}.statements[${index}]`));
      return statement.operator === 'and' ? results.every(Boolean) : results.some(Boolean);
    }
    case 'BinaryStatement': {
      const fail = failer(`${where} (${statement.comparator.type})`);
      const left = valueOf(statement.left_operand, parameters, `${where}.left_operand`);
      const right = valueOf(statement.right_operand, parameters, `${where}.right_operand`);
      return binaryComparators[statement.comparator.type]!(left, right, fail) !== statement.negate;
    }
    case 'UnaryStatement': {
      const fail = failer(`${where} (${statement.operator.type})`);
      return unaryOperators[statement.operator.type]!(valueOf(statement.operand, parameters, `${where}.operand`), fail) !== statement.negate;
    }
  }
}

function failer(where: string): (problem: string) => never {
  return (problem) => {
    throw new InvalidInputError({ message: `${where}: ${problem}` });
  };
}

function valueOf(operand: Operand, parameters: Parameters, where: string): unknown {
  if (operand.type === 'StaticOperand') return applyOperations(operand.value, operand.operations, parameters, `${where}.operations`);
  if (!(operand.operand_name in parameters)) {
    const known = Object.keys(parameters).filter((name) => name !== '_');
    throw new InvalidInputError({ message: `${where}: the parameter "${operand.operand_name}" is not given (given: ${known.join(', ') || 'none'})` });
  }
  return applyOperations(parameters[operand.operand_name], operand.operations, parameters, `${where}.operations`);
}

/** Python's `==`: by value for lists and dictionaries. */
/** Python's `==` for the values workflows carry: identity, or structures equal by value. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));
}
