import type { AnyBlock } from '@vad/core';
import { csvFormatter } from './csv-formatter.js';
import { dataAggregator } from './data-aggregator.js';
import { jsonParser } from './json-parser.js';
import { localFileSink } from './local-file-sink.js';
import { stringTemplate } from './string-template.js';

export { csvFormatter } from './csv-formatter.js';
export { dataAggregator } from './data-aggregator.js';
export { jsonParser } from './json-parser.js';
export { localFileSink } from './local-file-sink.js';
export { stringTemplate } from './string-template.js';
export { toCsv } from './csv-text.js';
export { pythonRepr, pythonStr } from './python-text.js';

/** The blocks of @vad/blocks-data: formatters, the data aggregator and the local file sink. */
export function dataBlocks(): AnyBlock[] {
  return [csvFormatter, jsonParser, stringTemplate, dataAggregator, localFileSink];
}

/** Plugin entry point for `loadPlugins` / `VAD_PLUGINS`. */
export function vadBlocks(): AnyBlock[] {
  return dataBlocks();
}
