import { InvalidInputError, ModelLoadError } from '@vad/core';
import { buildModelProto } from '../onnx/build-model.js';
import type { OnnxModel } from '../onnx/onnx-model.js';
import { createConversionContext } from './conversion-context.js';
import { layerGraph } from './layer-graph.js';
import { layerHandlers } from './layer-handlers.js';
import type { LayersModelArtifacts } from './layers-artifacts.js';

/** Bumped whenever the ONNX this importer emits changes; cached imports are keyed by it. */
export const importerVersion = '1';

export interface ConvertLayersOptions {
  /** Layers whose outputs become graph outputs (default: the model's outputs). Only what they need is converted. */
  outputs?: readonly string[];
  /** Name of the graph input (default 'input'); it is NCHW float32 [batch, channels, height, width]. */
  inputName?: string;
  /** Leave height and width free ('height', 'width') instead of the model's input size (only for convolutional tops). */
  dynamicSize?: boolean;
  /** Fold BatchNormalization into the convolution before it (default true). */
  foldBatchNorm?: boolean;
  opset?: number;
}

/**
 * Converts a TensorFlow.js layers model (Keras functional or sequential topology, channels_last) into
 * an ONNX graph in NCHW layout: kernels are transposed, BatchNormalization is folded into the
 * convolution before it, ZeroPadding2D into the convolution after it, and TF 'same' padding is
 * reproduced exactly (SAME_UPPER; average pools exclude the padding as TF does). A layer the importer
 * does not know is a `ModelLoadError` naming it.
 */
export function convertLayersModel(artifacts: LayersModelArtifacts, options: ConvertLayersOptions = {}): OnnxModel {
  const requested = [...(options.outputs ?? artifacts.outputLayers)];
  const graph = layerGraph(artifacts, requested);
  const context = createConversionContext(artifacts, graph, {
    inputName: options.inputName ?? 'input',
    dynamicSize: options.dynamicSize ?? false,
    foldBatchNorm: options.foldBatchNorm ?? true,
  });
  for (const layer of artifacts.layers) {
    if (!graph.needed.has(layer.name) || context.absorbed.has(layer.name)) continue;
    const handler = layerHandlers.get(layer.class_name);
    if (!handler) throw context.layerError(layer, 'is a layer type the importer does not support');
    context.tensors.set(layer.name, handler(layer, context));
  }

  const { nodes, tensors, inputName, inputShape } = context;
  const outputs = requested.map((layerName) => {
    const tensor = tensors.get(layerName)!;
    if (tensor.pendingPads) throw new InvalidInputError({ message: `${artifacts.name}: cannot end at the padding layer "${layerName}"`, property: 'outputs' });
    if (tensor.name !== layerName) nodes.push({ op: 'Identity', name: `${layerName}/output`, inputs: [tensor.name], outputs: [layerName] });
    return { name: layerName, type: 'float32' as const };
  });
  if (inputShape.length === 0) throw new ModelLoadError({ message: `${artifacts.name} has no InputLayer on the way to ${requested.join(', ')}`, path: artifacts.name });
  return buildModelProto({
    name: artifacts.name,
    inputs: [{ name: inputName, type: 'float32', shape: inputShape }],
    outputs,
    nodes,
    initializers: context.initializers,
    opset: options.opset ?? 17,
    metadata: { source: artifacts.name, importer: `@vad/models tfjs-layers importer ${importerVersion}`, layout: 'NCHW' },
  });
}
