import { defineBlock, field, z, type OutputsSpec } from '@vad/core';

const markdownJsonBlock = /```json([\s\S]*?)```/i;

const expectedFields = z
  .array(z.string())
  .refine((fields) => !fields.includes('error_status'), { message: '"error_status" is a reserved output name and cannot be an expected field' });

/**
 * Roboflow's JSON Parser: parses `raw_json` (or the first ```json … ``` block in it, as language
 * models answer) and gives each of `expected_fields` as its own output, null when absent;
 * `error_status` is true when the text does not parse or a field is missing.
 */
export const jsonParser = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/json_parser@v1',
  aliases: ['roboflow_core/json_parser@v1'],
  title: 'JSON Parser',
  description: 'Parses a JSON string (raw, or in a Markdown ```json block) and outputs the expected fields, one output each, plus error_status.',
  manifest: {
    raw_json: field.parameter(z.string(), ['language_model_output', 'string'], { description: 'The JSON text, raw or inside a ```json Markdown block (the first one is parsed)' }),
    expected_fields: field.literal(expectedFields, { description: 'The fields to output; each becomes an output of that name' }),
  },
  outputs: { error_status: { kinds: ['boolean'] }, '*': { kinds: ['*'] } },
  outputsFor: ({ expected_fields }) => {
    const outputs: Record<string, OutputsSpec[string]> = { error_status: { kinds: ['boolean'] } };
    for (const name of (expected_fields as string[] | undefined) ?? []) outputs[name] = { kinds: ['*'] };
    return outputs;
  },
  create: ({ properties }) => {
    const fields = properties.expected_fields ?? [];
    return {
      run: ({ raw_json }, context) => {
        const text = markdownJsonBlock.exec(raw_json)?.[1] ?? raw_json;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (error) {
          context.warn(`could not parse JSON: ${(error as Error).message}`);
          return { error_status: true, ...Object.fromEntries(fields.map((name) => [name, null])) } as { error_status: boolean; '*': unknown };
        }
        const object = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
        const values = Object.fromEntries(fields.map((name) => [name, Object.hasOwn(object, name) ? object[name] : null]));
        return { error_status: !fields.every((name) => Object.hasOwn(object, name)), ...values } as { error_status: boolean; '*': unknown };
      },
    };
  },
});
