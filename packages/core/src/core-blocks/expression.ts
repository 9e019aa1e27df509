import { z } from 'zod';
import { defineBlock, field } from '../blocks.js';
import { InvalidInputError } from '../errors.js';
import { applyOperations, evaluateStatement, operation, statement, type Parameters } from '../query-language/index.js';

const caseResult = z.discriminatedUnion('type', [
  z.object({ type: z.literal('StaticCaseResult'), value: z.unknown() }),
  z.object({ type: z.literal('DynamicCaseResult'), parameter_name: z.string(), operations: z.array(operation).optional() }),
]);
type CaseResult = z.infer<typeof caseResult>;

const cases = z.object({
  type: z.literal('CasesDefinition'),
  cases: z.array(z.object({ type: z.literal('CaseDefinition'), condition: statement, result: caseResult })),
  default: caseResult,
});

/**
 * Roboflow's expression: named data, optionally put through operations, then a switch — the
 * result of the first case whose condition holds, else the default. Business rules such as
 * "PASS when the detected class is the expected one".
 */
export const expression = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/expression@v1',
  aliases: ['roboflow_core/expression@v1', 'Expression'],
  title: 'Expression',
  description: 'Computes an output from named data with switch-case rules (query-language conditions and operations).',
  manifest: {
    data: field.dictionary(z.unknown(), ['*'], { optional: false, description: 'the named values the rules read' }),
    data_operations: field.literal(z.record(z.string(), z.array(operation)).default({}), { description: 'operations applied to a named value before the switch' }),
    switch: field.literal(cases, { description: 'CasesDefinition: cases of condition and result, and a default result' }),
  },
  outputs: { output: { kinds: ['*'] } },
  create: ({ properties, stepName }) => {
    const rules = properties.switch;
    if (!rules) throw new InvalidInputError({ message: 'missing required property (CasesDefinition)', stepName, property: 'switch' });
    const operations = Object.entries(properties.data_operations ?? {});
    const variable = (variables: Parameters, name: string, where: string) => {
      if (!(name in variables)) throw new InvalidInputError({ message: `${where} names "${name}", which is not in data (it has: ${Object.keys(variables).join(', ') || 'nothing'})`, stepName, property: where.split('.')[0] });
      return variables[name];
    };
    const resultOf = (result: CaseResult, variables: Parameters, where: string) => {
      if (result.type === 'StaticCaseResult') return result.value;
      const value = variable(variables, result.parameter_name, `${where}.parameter_name`);
      return result.operations?.length ? applyOperations(value, result.operations, variables, `${where}.operations`) : value;
    };
    return {
      run: ({ data }) => {
        const variables: Record<string, unknown> = { ...data };
        for (const [name, chain] of operations) variables[name] = applyOperations(variable(variables, name, `data_operations.${name}`), chain, {}, `data_operations.${name}`);
        const index = rules.cases.findIndex((rule, i) => evaluateStatement(rule.condition, variables, `switch.cases[${i}].condition`));
        return { output: index === -1 ? resultOf(rules.default, variables, 'switch.default') : resultOf(rules.cases[index]!.result, variables, `switch.cases[${index}].result`) };
      },
    };
  },
});
