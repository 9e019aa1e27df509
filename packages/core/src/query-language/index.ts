export { applyOperations, type Parameters } from './operations.js';
export { evaluateStatement, valuesEqual } from './statements.js';
export { operation, statement, type Operation, type Operand, type Statement } from './schema.js';
