import { z } from 'zod';
import { defineBlock, field, type OutputsSpec } from '../blocks.js';
import { InvalidInputError } from '../errors.js';

/**
 * Roboflow's environment_secrets_store: each variable named in `variables_storing_secrets` becomes
 * an output named in lower case (`MY_KEY` → `my_key`), holding the variable's value or null when
 * it is unset. It reads `HostContext.environment` when the host gives one (a host that wants no
 * secrets read gives `{}`), else `process.env`.
 */
export const environmentSecretsStore = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/environment_secrets_store@v1',
  aliases: ['roboflow_core/environment_secrets_store@v1'],
  title: 'Environment Secrets Store',
  description: 'Reads secrets from environment variables of the process that runs the workflow; one output per variable, named in lower case.',
  manifest: {
    variables_storing_secrets: field.literal(z.array(z.string().min(1)).min(1), { description: 'Names of the environment variables to read' }),
  },
  outputs: { '*': { kinds: ['secret'] } },
  outputsFor: ({ variables_storing_secrets }) => {
    const outputs: Record<string, OutputsSpec[string]> = {};
    for (const name of (variables_storing_secrets as string[] | undefined) ?? []) outputs[name.toLowerCase()] = { kinds: ['secret'] };
    return outputs;
  },
  create: ({ properties, host, stepName }) => {
    const names = properties.variables_storing_secrets ?? [];
    const lowered = new Map<string, string>();
    for (const name of names) {
      const output = name.toLowerCase();
      const other = lowered.get(output);
      if (other !== undefined && other !== name) {
        throw new InvalidInputError({ message: `"${other}" and "${name}" would both be output "${output}"`, stepName, property: 'variables_storing_secrets' });
      }
      lowered.set(output, name);
    }
    const environment = host.environment ?? process.env;
    // The outputs are per step (outputsFor); `'*'` in the block's type stands for all of them.
    return { run: () => Object.fromEntries([...lowered].map(([output, name]) => [output, environment[name] ?? null])) as { '*': unknown } };
  },
});
