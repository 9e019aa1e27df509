import { z } from 'zod';
import { applyOperations, operation } from './property-definition.js';

/**
 * Roboflow's condition statements (the query language's StatementGroup, BinaryStatement and
 * UnaryStatement), as continue_if takes them in `condition_statement`. Operands are literals
 * (StaticOperand) or a named evaluation parameter with operations applied (DynamicOperand).
 * Comparator names are theirs; an unknown one is refused when the workflow compiles.
 */
const binaryComparators = {
  '==': (a: unknown, b: unknown) => equal(a, b),
  '!=': (a: unknown, b: unknown) => !equal(a, b),
  '(Number) ==': (a: unknown, b: unknown) => a === b,
  '(Number) !=': (a: unknown, b: unknown) => a !== b,
  '(Number) >': (a: unknown, b: unknown) => numbers(a, b) && (a as number) > (b as number),
  '(Number) >=': (a: unknown, b: unknown) => numbers(a, b) && (a as number) >= (b as number),
  '(Number) <': (a: unknown, b: unknown) => numbers(a, b) && (a as number) < (b as number),
  '(Number) <=': (a: unknown, b: unknown) => numbers(a, b) && (a as number) <= (b as number),
  '(String) startsWith': (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b),
  '(String) endsWith': (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.endsWith(b),
  '(String) contains': (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.includes(b),
  'in (Sequence)': (a: unknown, b: unknown) => Array.isArray(b) && b.some((item) => equal(item, a)),
  in: (a: unknown, b: unknown) => Array.isArray(b) && b.some((item) => equal(item, a)),
  'any in (Sequence)': (a: unknown, b: unknown) => Array.isArray(a) && Array.isArray(b) && a.some((x) => b.some((y) => equal(x, y))),
  'all in (Sequence)': (a: unknown, b: unknown) => Array.isArray(a) && Array.isArray(b) && a.every((x) => b.some((y) => equal(x, y))),
} as const;

const unaryOperators = {
  Exists: (a: unknown) => a !== null && a !== undefined,
  DoesNotExist: (a: unknown) => a === null || a === undefined,
  '(Boolean) is True': (a: unknown) => a === true,
  '(Boolean) is False': (a: unknown) => a === false,
  IsTrue: (a: unknown) => a === true,
  IsFalse: (a: unknown) => a === false,
  '(Sequence) is empty': (a: unknown) => Array.isArray(a) && a.length === 0,
  '(Sequence) is not empty': (a: unknown) => Array.isArray(a) && a.length > 0,
} as const;

const operand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('StaticOperand'), value: z.unknown() }),
  z.object({ type: z.literal('DynamicOperand'), operand_name: z.string().default('_'), operations: z.array(operation).default([]) }),
]);
type Operand = z.infer<typeof operand>;
const names = <T extends object>(table: T) => Object.keys(table) as [keyof T & string, ...(keyof T & string)[]];
const binary = z.object({
  type: z.literal('BinaryStatement'),
  left_operand: operand,
  comparator: z.object({ type: z.enum(names(binaryComparators)) }),
  right_operand: operand,
  negate: z.boolean().default(false),
});
const unary = z.object({ type: z.literal('UnaryStatement'), operand, operator: z.object({ type: z.enum(names(unaryOperators)) }), negate: z.boolean().default(false) });

export type Statement = z.infer<typeof binary> | z.infer<typeof unary> | { type: 'StatementGroup'; statements: Statement[]; operator: 'and' | 'or' };
export const statementGroup: z.ZodType<Statement, unknown> = z.lazy(() =>
  z.union([binary, unary, z.object({ type: z.literal('StatementGroup'), statements: z.array(statementGroup).min(1), operator: z.enum(['and', 'or']).default('or') })]),
);

/** True when the statement holds for these evaluation parameters. */
export function evaluateStatement(statement: Statement, parameters: Readonly<Record<string, unknown>>): boolean {
  switch (statement.type) {
    case 'StatementGroup': {
      const results = statement.statements.map((s) => evaluateStatement(s, parameters));
      return statement.operator === 'and' ? results.every(Boolean) : results.some(Boolean);
    }
    case 'BinaryStatement': {
      const holds = binaryComparators[statement.comparator.type](valueOf(statement.left_operand, parameters), valueOf(statement.right_operand, parameters));
      return statement.negate ? !holds : holds;
    }
    case 'UnaryStatement': {
      const holds = unaryOperators[statement.operator.type](valueOf(statement.operand, parameters));
      return statement.negate ? !holds : holds;
    }
  }
}

function valueOf(value: Operand, parameters: Readonly<Record<string, unknown>>): unknown {
  return value.type === 'StaticOperand' ? value.value : applyOperations(parameters[value.operand_name], value.operations);
}

function numbers(a: unknown, b: unknown): boolean {
  return typeof a === 'number' && typeof b === 'number';
}

function equal(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
}
