import { InvalidInputError, ModelLoadError, type VadError } from '@vad/core';
import { closestNames } from '../closest-names.js';
import type { KerasLayer, LayersModelArtifacts } from './layers-artifacts.js';

/** A layer's problem, named. */
export function layerError(artifacts: LayersModelArtifacts, layer: KerasLayer, problem: string): VadError {
  return new ModelLoadError({ message: `${artifacts.name}: layer "${layer.name}" (${layer.class_name}) ${problem}`, path: artifacts.name });
}

function inboundLayers(artifacts: LayersModelArtifacts, layer: KerasLayer): string[] {
  if (layer.inbound_nodes.length === 0) return [];
  if (layer.inbound_nodes.length > 1) throw layerError(artifacts, layer, 'is shared between several calls, which the importer does not support');
  const node = layer.inbound_nodes[0] as [string, number, number][];
  return node.map(([name, nodeIndex, tensorIndex]) => {
    if (nodeIndex !== 0 || tensorIndex !== 0) throw layerError(artifacts, layer, `reads output ${nodeIndex}/${tensorIndex} of "${name}", which the importer does not support`);
    return name;
  });
}

/** The part of a layers model that the requested outputs need. */
export interface LayerGraph {
  readonly needed: ReadonlySet<string>;
  /** Layer name → the layers it reads, in order. */
  readonly inputsOf: ReadonlyMap<string, readonly string[]>;
  /** The one layer that reads `name`, unless more or none do or `name` is a graph output. */
  soleConsumer(name: string): KerasLayer | undefined;
}

/** Walks back from `requested` (each must name a layer) to the layers they need and who reads each of them. */
export function layerGraph(artifacts: LayersModelArtifacts, requested: readonly string[]): LayerGraph {
  const layersByName = new Map(artifacts.layers.map((layer) => [layer.name, layer]));
  for (const output of requested) {
    if (!layersByName.has(output)) {
      const close = closestNames(output, layersByName.keys()).map((name) => `"${name}"`).join(', ');
      throw new InvalidInputError({ message: `${artifacts.name} has no layer "${output}" to end at; closest names: ${close}`, property: 'outputs' });
    }
  }
  const inputsOf = new Map<string, string[]>();
  const needed = new Set<string>();
  const stack = [...requested];
  while (stack.length) {
    const name = stack.pop()!;
    if (needed.has(name)) continue;
    needed.add(name);
    const inputs = inboundLayers(artifacts, layersByName.get(name)!);
    inputsOf.set(name, inputs);
    stack.push(...inputs);
  }
  const consumers = new Map<string, string[]>();
  for (const name of needed) for (const input of inputsOf.get(name)!) consumers.set(input, [...(consumers.get(input) ?? []), name]);
  const isOutput = new Set(requested);
  return {
    needed,
    inputsOf,
    soleConsumer(name) {
      const readers = consumers.get(name) ?? [];
      return readers.length === 1 && !isOutput.has(name) ? layersByName.get(readers[0]!) : undefined;
    },
  };
}
