import { isDetections } from '@vad/core';

/**
 * Python's `str()` of a value as Roboflow's text blocks write it (a CSV cell, a template
 * placeholder): strings as they are, `True`/`False`/`None`, lists and dictionaries in Python's
 * repr (`['dog', 'dog']`, `{'a': 1}`). Numbers print as JavaScript does, which matches Python
 * for integers and for most floats (Python writes `1.0` where a float is whole; JavaScript
 * has no such distinction and writes `1`).
 */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

/** Python's `repr()` of the values workflows carry. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isNaN(value) ? 'nan' : value === Infinity ? 'inf' : value === -Infinity ? '-inf' : String(value);
  if (typeof value === 'string') return reprString(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (isDetections(value)) return pythonRepr(value.predictions);
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([key, entry]) => `${reprString(key)}: ${pythonRepr(entry)}`).join(', ')}}`;
  }
  return String(value);
}

/** Python quotes with `'` unless the string holds a `'` and no `"`. */
function reprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += `\\${quote}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else out += char;
  }
  return out + quote;
}
