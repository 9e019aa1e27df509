import { defineBlock, field, InvalidInputError, z } from '@vad/core';
import { applyNamedOperations, operationsByName } from './column-operations.js';
import { toCsv, utcIsoTimestamp } from './csv-text.js';

/**
 * Roboflow's CSV Formatter: one CSV document, a header and one row of the columns in
 * `columns_data` (each through its `columns_operations`) plus a `timestamp` column (UTC, ISO 8601).
 *
 * Roboflow gathers a whole batch of images into one document given at the last image (the others
 * get null); vad runs each image of a batch as its own record, so each image gets its own
 * one-row document. Rows of several runs are gathered by appending them to a file with
 * `local_file_sink` in `append_log` mode, which drops the repeated header. When every column is
 * null (a data aggregator between two reports) the output is null, so the steps after it skip.
 */
export const csvFormatter = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/csv_formatter@v1',
  aliases: ['roboflow_core/csv_formatter@v1'],
  title: 'CSV Formatter',
  description: 'Formats values as a CSV document: a header row and one row of the given columns, plus a timestamp column.',
  manifest: {
    columns_data: field.dictionary(z.unknown(), ['*'], { optional: false, description: 'Column name → a value, or a selector of any kind put through columns_operations' }),
    columns_operations: field.literal(operationsByName, { description: 'Column name → query-language operations applied to its value' }),
  },
  outputs: { csv_content: { kinds: ['string'] } },
  create: ({ stepName, properties, host }) => {
    const operations = properties.columns_operations ?? {};
    if ('timestamp' in operations) throw reserved(stepName, 'columns_operations');
    const now = host.clock ?? Date.now;
    return {
      run: ({ columns_data }) => {
        if ('timestamp' in columns_data) throw reserved(stepName, 'columns_data');
        // Every column empty (a data aggregator between reports): no document, so a sink after this
        // step is skipped, as Roboflow's engine stops a branch at empty outputs.
        const values = Object.values(columns_data);
        if (values.length > 0 && values.every((value) => value == null)) return { csv_content: null };
        const row = applyNamedOperations(columns_data, operations, { stepName, property: 'columns_operations', dataProperty: 'columns_data' });
        return { csv_content: toCsv([{ ...row, timestamp: utcIsoTimestamp(now()) }]) };
      },
    };
  },
});

function reserved(stepName: string, property: string): Error {
  return new InvalidInputError({ message: 'the column name "timestamp" is reserved (the block adds it)', stepName, property });
}
