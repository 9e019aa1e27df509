import { defineBlock, field, InvalidInputError, z } from '@vad/core';
import { applyNamedOperations, operationsByName } from './column-operations.js';
import { parseTemplate, placeholderNames, renderTemplate, TemplateError } from './python-format.js';

/**
 * Roboflow's String Template: `template` with Python `str.format` placeholders (`{sku_list}`,
 * `{confidence:.2f}`, `{{` for a brace) filled from `data`, each value first put through its
 * `data_operations`. A placeholder that `data` lacks is an error, as in Roboflow.
 */
export const stringTemplate = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/string_template@v1',
  aliases: ['roboflow_core/string_template@v1'],
  title: 'String Template',
  description: 'Builds a string from a template with named {placeholders} filled from data (e.g. a prompt, a notification message).',
  manifest: {
    template: field.parameter(z.string(), ['string'], { description: 'Text with {name} placeholders (Python format syntax; {{ and }} for braces)' }),
    data: field.dictionary(z.unknown(), ['*'], { description: 'Placeholder name → a value, or a selector of any kind (a list, detections, …) put through data_operations' }),
    data_operations: field.literal(operationsByName, { description: 'Placeholder name → query-language operations applied to its value' }),
  },
  outputs: { output: { kinds: ['string'] } },
  create: ({ stepName, properties }) => {
    const operations = properties.data_operations ?? {};
    const parsedOnce = typeof properties.template === 'string' ? parse(properties.template, stepName) : undefined;
    return {
      run: ({ template, data }) => {
        const pieces = parsedOnce ?? parse(template, stepName);
        const variables = applyNamedOperations(data ?? {}, operations, { stepName, property: 'data_operations', dataProperty: 'data' });
        const missing = [...placeholderNames(pieces)].filter((name) => !(name in variables)).sort();
        if (missing.length > 0) {
          throw new InvalidInputError({ message: `the template refers to ${missing.map((n) => `{${n}}`).join(', ')}, which data does not have (it has: ${Object.keys(variables).sort().join(', ') || 'nothing'})`, stepName, property: 'template' });
        }
        try {
          return { output: renderTemplate(pieces, variables) };
        } catch (cause) {
          if (cause instanceof TemplateError) throw new InvalidInputError({ message: `could not render the template: ${cause.message}`, stepName, property: 'template', cause });
          throw cause;
        }
      },
    };
  },
});

function parse(template: string, stepName: string) {
  try {
    return parseTemplate(template);
  } catch (cause) {
    if (cause instanceof TemplateError) throw new InvalidInputError({ message: `could not parse the template: ${cause.message}`, stepName, property: 'template', cause });
    throw cause;
  }
}
