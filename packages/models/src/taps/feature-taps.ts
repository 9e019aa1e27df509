import { InvalidInputError } from '@vad/core';
import { decodeModel, encodeModel, onnxDataTypes, type OnnxGraph, type OnnxModel, type OnnxNode, type OnnxValueInfo } from '../onnx/onnx-model.js';
import { createSessionFromBytes, type ModelSession, type SessionOptions, type TensorValue } from '../runtime/session.js';
import { describeModelSource, resolveModelSource, type ModelSource, type ModelSourceOptions } from '../runtime/model-source.js';
import { readFile } from 'node:fs/promises';
import { closestNames } from '../closest-names.js';

/** Where a quantised op keeps the scale and zero point of its output, as input indices. */
const quantizedOutputParameters: Record<string, [number, number]> = {
  QuantizeLinear: [1, 2],
  QLinearConv: [6, 7],
  QLinearMatMul: [6, 7],
  QLinearAdd: [6, 7],
  QLinearMul: [6, 7],
  QLinearGlobalAveragePool: [3, 4],
  QLinearAveragePool: [3, 4],
  QLinearLeakyRelu: [3, 4],
  QLinearSigmoid: [3, 4],
  QLinearConcat: [0, 1],
};
/** Ops that move quantised values without changing their scale. */
const passThrough = new Set(['MaxPool', 'Reshape', 'Transpose', 'Flatten', 'Squeeze', 'Unsqueeze', 'Slice', 'Resize', 'Identity', 'Gather', 'Split']);

export interface FeatureTaps {
  model: OnnxModel;
  /** Tap name → the graph output that carries it (float32 when the tapped tensor was quantised). */
  outputs: Record<string, string>;
}

export interface FeatureTapOptions {
  /** Keep the model's own outputs (default true). With false, nodes only they need are removed. */
  keepOutputs?: boolean;
}

/** All tensor names of a graph that can be tapped (graph inputs and node outputs). */
export function tensorNames(model: OnnxModel): string[] {
  return [...model.graph.input.map((input) => input.name), ...model.graph.node.flatMap((node) => node.output)].filter(Boolean);
}

function quantizationOf(graph: OnnxGraph, producers: Map<string, OnnxNode>, valueTypes: Map<string, number>, tensor: string): [string, string] | undefined {
  for (let name = tensor, depth = 0; depth < 64; depth++) {
    const producer = producers.get(name);
    if (!producer) break;
    const slots = quantizedOutputParameters[producer.opType];
    if (slots) return [producer.input[slots[0]]!, producer.input[slots[1]]!];
    if (!passThrough.has(producer.opType) || !producer.input[0]) break;
    name = producer.input[0];
  }
  const elementType = valueTypes.get(tensor);
  if (elementType !== onnxDataTypes.uint8 && elementType !== onnxDataTypes.int8) return undefined;
  // a consumer that reads (tensor, scale, zero point) as consecutive inputs knows its quantisation
  for (const node of graph.node) {
    const index = node.input.indexOf(tensor);
    if (index >= 0 && (node.opType === 'DequantizeLinear' || node.opType.startsWith('QLinear')) && node.input[index + 2]) {
      return [node.input[index + 1]!, node.input[index + 2]!];
    }
  }
  throw new InvalidInputError({ message: `tensor "${tensor}" is quantised but vad cannot find its scale and zero point` });
}

/**
 * Exposes intermediate tensors of an ONNX graph as extra outputs. A tensor that holds int8/uint8
 * values of a quantised graph gets a DequantizeLinear node, so every tap is float32. A tap may name
 * the float tensor of the original model (`474`) when the quantised graph calls it `474_quantized`.
 * An unknown name is an `InvalidInputError` listing the closest names.
 */
export function addFeatureTaps(model: OnnxModel, taps: readonly string[], options: FeatureTapOptions = {}): FeatureTaps {
  const edited: OnnxModel = structuredClone({ ...model, graph: { ...model.graph, initializer: [] } });
  edited.graph.initializer = model.graph.initializer; // shared, not copied: they can be hundreds of MB
  const graph = edited.graph;
  const known = new Set(tensorNames(edited));
  const producers = new Map<string, OnnxNode>();
  for (const node of graph.node) for (const output of node.output) producers.set(output, node);
  const valueTypes = new Map<string, number>();
  for (const info of [...graph.valueInfo, ...graph.input, ...graph.output]) {
    const elementType = info.type?.tensorType?.elemType;
    if (elementType) valueTypes.set(info.name, elementType);
  }
  const outputs: Record<string, string> = {};
  const newOutputs: OnnxValueInfo[] = [];
  for (const tap of taps) {
    const tensor = known.has(tap) ? tap : known.has(`${tap}_quantized`) ? `${tap}_quantized` : undefined;
    if (!tensor) {
      throw new InvalidInputError({
        message: `feature tap "${tap}" is not a tensor of this model; closest names: ${closestNames(tap, known).map((name) => `"${name}"`).join(', ')}`,
        property: 'taps',
      });
    }
    const quantization = quantizationOf(graph, producers, valueTypes, tensor);
    if (quantization) {
      const output = `${tensor}_tap_dequantized`;
      if (!producers.has(output)) {
        const node: OnnxNode = { opType: 'DequantizeLinear', name: `${tensor}_tap_dequantize`, input: [tensor, ...quantization], output: [output], attribute: [] };
        graph.node.push(node);
        producers.set(output, node);
      }
      outputs[tap] = output;
      newOutputs.push({ name: output, type: { tensorType: { elemType: onnxDataTypes.float32 } } });
    } else {
      outputs[tap] = tensor;
      const known = graph.valueInfo.find((info) => info.name === tensor) ?? graph.input.find((info) => info.name === tensor);
      newOutputs.push({ name: tensor, ...(known?.type && { type: known.type }) });
    }
  }
  const kept = options.keepOutputs === false ? [] : graph.output;
  const seen = new Set<string>();
  graph.output = [...kept, ...newOutputs].filter((output) => !seen.has(output.name) && seen.add(output.name));
  if (options.keepOutputs === false) pruneGraph(graph);
  return { model: edited, outputs };
}

/** Removes nodes, initializers and inputs that no graph output depends on. */
export function pruneGraph(graph: OnnxGraph): void {
  const producers = new Map<string, OnnxNode>();
  for (const node of graph.node) for (const output of node.output) producers.set(output, node);
  const needed = new Set<string>();
  const keptNodes = new Set<OnnxNode>();
  const stack = graph.output.map((output) => output.name);
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (needed.has(name)) continue;
    needed.add(name);
    const node = producers.get(name);
    if (node && !keptNodes.has(node)) {
      keptNodes.add(node);
      stack.push(...node.input.filter(Boolean));
    }
  }
  graph.node = graph.node.filter((node) => keptNodes.has(node));
  graph.initializer = graph.initializer.filter((tensor) => needed.has(tensor.name ?? ''));
  graph.input = graph.input.filter((input) => needed.has(input.name));
  graph.valueInfo = graph.valueInfo.filter((info) => needed.has(info.name));
}

export interface TappedSession extends ModelSession {
  /** Tap name → graph output name (`run` already returns taps under their tap names). */
  readonly tapOutputs: Readonly<Record<string, string>>;
}

/**
 * A session for a model with feature taps added: `run` returns each tap under its tap name
 * (float32, NCHW as the graph computes it), beside the model's own outputs unless `keepOutputs: false`.
 */
export async function createTappedSession(
  source: ModelSource | Uint8Array,
  taps: readonly string[],
  options: SessionOptions & ModelSourceOptions & FeatureTapOptions = {},
): Promise<TappedSession> {
  const name = source instanceof Uint8Array ? 'model bytes' : describeModelSource(source);
  const bytes = source instanceof Uint8Array ? source : new Uint8Array(await readFile(await resolveModelSource(source, options)));
  const { model, outputs } = addFeatureTaps(decodeModel(bytes, { name }), taps, options);
  const session = await createSessionFromBytes(encodeModel(model), { ...options, name: `${name} with taps ${taps.join(', ')}` });
  const tapByOutput = new Map(Object.entries(outputs).map(([tap, output]) => [output, tap]));
  return {
    ...session,
    name: session.name,
    inputNames: session.inputNames,
    outputNames: session.outputNames.map((output) => tapByOutput.get(output) ?? output),
    executionProviders: session.executionProviders,
    inferenceSession: session.inferenceSession,
    tapOutputs: outputs,
    async run(feeds, runOptions = {}) {
      const wanted = runOptions.outputs?.map((output) => outputs[output] ?? output);
      const results = await session.run(feeds, wanted ? { outputs: wanted } : {});
      const renamed: Record<string, TensorValue> = {};
      for (const [output, value] of Object.entries(results)) renamed[tapByOutput.get(output) ?? output] = value;
      return renamed;
    },
    dispose: () => session.dispose(),
  };
}
