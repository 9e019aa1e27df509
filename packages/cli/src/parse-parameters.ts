import { InvalidInputError } from '@vad/core';

/** `--param k=v` values: JSON when it parses (numbers, booleans, lists), otherwise the plain string. */
export function parseParameters(pairs: readonly string[]): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new InvalidInputError({ message: `--param "${pair}" must look like name=value` });
    const text = pair.slice(equals + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // a plain string
    }
    parameters[pair.slice(0, equals)] = value;
  }
  return parameters;
}
