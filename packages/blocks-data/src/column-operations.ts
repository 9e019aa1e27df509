import { applyOperations, InvalidInputError, queryOperation, z, type QueryOperation } from '@vad/core';

/** `{column: [operations…]}`: Roboflow's `columns_operations` / `data_operations`. */
export const operationsByName = z.record(z.string(), z.array(queryOperation)).default({});

/**
 * Each named value put through its chain of query-language operations (values without one pass
 * unchanged). An operation for a name that `data` lacks is an error naming `property`.
 */
export function applyNamedOperations(
  data: Readonly<Record<string, unknown>>,
  operations: Readonly<Record<string, readonly QueryOperation[]>>,
  where: { stepName: string; property: string; dataProperty: string },
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...data };
  for (const [name, chain] of Object.entries(operations)) {
    if (!(name in data)) {
      throw new InvalidInputError({ message: `operations are given for "${name}", which ${where.dataProperty} does not have (it has: ${Object.keys(data).join(', ') || 'nothing'})`, stepName: where.stepName, property: `${where.property}.${name}` });
    }
    result[name] = applyOperations(data[name], chain, {}, `${where.property}.${name}`);
  }
  return result;
}
