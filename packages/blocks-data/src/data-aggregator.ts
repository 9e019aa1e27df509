import { defineBlock, field, InvalidInputError, z, type OutputsSpec } from '@vad/core';
import { aggregationModes, AggregationValueError, createAggregationState, type AggregationMode, type AggregationState } from './aggregation-states.js';
import { applyNamedOperations, operationsByName } from './column-operations.js';

const secondsPerUnit = { seconds: 1, minutes: 60, hours: 3600 } as const;
const modesByField = z.record(z.string(), z.array(z.enum(aggregationModes)));

/** Output `<field>_<mode>` for each field of `data` and each of its modes, in that order. */
function outputNames(dataKeys: readonly string[], modes: Readonly<Record<string, readonly AggregationMode[]>>): [string, string, AggregationMode][] {
  return dataKeys.flatMap((key) => (modes[key] ?? []).map((mode): [string, string, AggregationMode] => [`${key}_${mode}`, key, mode]));
}

function kindsOf(mode: AggregationMode): string[] {
  return mode === 'distinct' ? ['list_of_values'] : mode === 'values_counts' ? ['dictionary'] : ['float', 'integer'];
}

/**
 * Roboflow's Data Aggregator: per stream, feeds each field of `data` (after its
 * `data_operations`) to the aggregates named in `aggregation_mode`; every run outputs null for
 * each `<field>_<mode>` except the run that ends the interval (`interval` runs, or seconds,
 * minutes, hours by the host clock since the last report), which outputs the aggregates and
 * starts over.
 */
export const dataAggregator = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/data_aggregator@v1',
  aliases: ['roboflow_core/data_aggregator@v1'],
  title: 'Data Aggregator',
  description: 'Aggregates values over an interval of runs or time (sum, avg, max, min, count, distinct, count_distinct, values_counts, values_difference) and reports them once per interval.',
  manifest: {
    data: field.dictionary(z.unknown(), ['*'], { optional: false, description: 'Field name → selector of the value to aggregate (any kind, put through data_operations)' }),
    data_operations: field.literal(operationsByName, { description: 'Field name → query-language operations applied to its value first' }),
    aggregation_mode: field.literal(modesByField, { description: 'Field name → aggregates to keep; each gives output <field>_<mode>' }),
    interval: field.literal(z.number().int().positive(), { description: 'Length of the interval' }),
    interval_unit: field.literal(z.enum(['seconds', 'minutes', 'hours', 'runs']).default('seconds'), { description: 'Unit of interval' }),
  },
  outputs: { '*': { kinds: ['*'] } },
  outputsFor: ({ data, aggregation_mode }) => {
    const outputs: Record<string, OutputsSpec[string]> = {};
    const keys = data && typeof data === 'object' ? Object.keys(data) : [];
    for (const [name, , mode] of outputNames(keys, (aggregation_mode as Record<string, AggregationMode[]> | undefined) ?? {})) outputs[name] = { kinds: kindsOf(mode) };
    return outputs;
  },
  stateful: true,
  create: ({ stepName, properties, host }) => {
    const operations = properties.data_operations ?? {};
    const modes = properties.aggregation_mode ?? {};
    const interval = properties.interval ?? 1;
    const unit = properties.interval_unit ?? 'seconds';
    const now = host.clock ?? Date.now;
    let states = new Map<string, AggregationState>();
    let runs = 0;
    let startedAt = now();
    return {
      run: ({ data }) => {
        const values = applyNamedOperations(data, operations, { stepName, property: 'data_operations', dataProperty: 'data' });
        const names = outputNames(Object.keys(data), modes);
        runs++;
        for (const [name, key, mode] of names) {
          let state = states.get(name);
          if (!state) states.set(name, (state = createAggregationState(mode)));
          try {
            state.add(values[key]);
          } catch (cause) {
            if (cause instanceof AggregationValueError) throw new InvalidInputError({ message: `data.${key}: ${cause.message}`, stepName, property: `data.${key}`, cause });
            throw cause;
          }
        }
        const time = now();
        const due = unit === 'runs' ? runs >= interval : time - startedAt >= interval * secondsPerUnit[unit] * 1000;
        if (!due) return Object.fromEntries(names.map(([name]) => [name, null])) as { '*': unknown };
        const report = Object.fromEntries(names.map(([name]) => [name, states.get(name)!.result()]));
        states = new Map();
        runs = 0;
        startedAt = time;
        return report as { '*': unknown };
      },
    };
  },
});
