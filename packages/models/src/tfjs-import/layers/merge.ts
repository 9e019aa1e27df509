import type { LayerHandler } from '../conversion-context.js';

/** Maps a Keras axis of an NHWC (rank 4) or plain tensor to the ONNX (NCHW) axis. */
function onnxAxis(axis: number, rank: number): number {
  const positive = axis < 0 ? axis + rank : axis;
  if (rank !== 4) return positive;
  return [0, 2, 3, 1][positive]!;
}

const convertConcatenate: LayerHandler = (layer, context) => {
  const name = layer.name;
  const sources = context.inputs(layer);
  const rank = sources[0]!.rank;
  const axis = onnxAxis(Number(layer.config.axis ?? -1), rank);
  context.nodes.push({ op: 'Concat', name, inputs: sources.map((source) => source.name), outputs: [name], attributes: { axis } });
  return { name, rank };
};

/** Keras merge layer → the ONNX operator over all its inputs. */
const elementwiseOperators: Record<string, string> = { Add: 'Sum', Multiply: 'Mul', Subtract: 'Sub', Maximum: 'Max', Minimum: 'Min', Average: 'Mean' };

const convertElementwise: LayerHandler = (layer, context) => {
  const name = layer.name;
  const sources = context.inputs(layer);
  const op = elementwiseOperators[layer.class_name]!;
  const binary = op === 'Sum' && sources.length === 2 ? 'Add' : op;
  if ((binary === 'Mul' || binary === 'Sub') && sources.length !== 2) throw context.layerError(layer, `has ${sources.length} inputs; the importer supports 2`);
  context.nodes.push({ op: binary, name, inputs: sources.map((source) => source.name), outputs: [name] });
  return { name, rank: sources[0]!.rank };
};

export const mergeHandlers: Record<string, LayerHandler> = {
  Concatenate: convertConcatenate,
  ...Object.fromEntries(Object.keys(elementwiseOperators).map((className) => [className, convertElementwise])),
};
