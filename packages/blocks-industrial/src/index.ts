import type { AnyBlock } from '@vad/core';
import { opcWriterSink } from './opc-writer-sink.js';

export { opcWriterSink } from './opc-writer-sink.js';
export { opcValueTypes, toOpcValue, type OpcValueType, type OpcTypedValue } from './opc-value.js';

/** The blocks of @vad/blocks-industrial: sinks that hand results to factory systems. */
export function industrialBlocks(): AnyBlock[] {
  return [opcWriterSink];
}

/** Plugin entry point for `loadPlugins` / `VAD_PLUGINS`. */
export function vadBlocks(): AnyBlock[] {
  return industrialBlocks();
}
