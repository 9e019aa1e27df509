import { buildModel } from '@vad/models';
import { graphNodes, graphSession, onnxTypes } from './graph.js';

/** Roboflow's morphological_transformation operations (v2 adds "Opening then Closing"). */
export const morphologyOperations = ['Erosion', 'Dilation', 'Opening', 'Closing', 'Opening then Closing', 'Gradient', 'Top Hat', 'Black Hat'] as const;
export type MorphologyOperation = (typeof morphologyOperations)[number];

/**
 * The operation for a name as Roboflow spells it ("Top Hat") or in snake case ("top_hat", which
 * Roboflow's own integration test for the preprocessing pipeline passes); undefined otherwise.
 */
export function parseMorphologyOperation(name: string): MorphologyOperation | undefined {
  const key = name.trim().toLowerCase().replace(/[_\s]+/g, ' ');
  return morphologyOperations.find((operation) => operation.toLowerCase() === key);
}

/**
 * OpenCV's `erode` / `dilate` / `morphologyEx` with a `size × size` rectangle of ones (Roboflow's
 * `np.ones((k, k))`) on every band of [H, W, 3] bytes, as one ONNX graph: dilation is a MaxPool and
 * erosion −MaxPool(−x). MaxPool's padding is never the maximum, so pixels outside the image are
 * ignored, as OpenCV's default border value for morphology makes them; both passes use OpenCV's
 * window (anchor at size / 2, so an even size reaches one pixel further up and left). Gradient is
 * dilation − erosion, top hat x − opening, black hat closing − x (exact in float, saturated at 0).
 */
function buildMorphologyModel(operation: MorphologyOperation, size: number): Uint8Array {
  const { nodes, op } = graphNodes();
  const anchor = Math.floor(size / 2), after = size - 1 - anchor;
  let count = 0;
  const pool = (input: string) => op('MaxPool', [input], `pool_${count++}`, { kernel_shape: [size, size], strides: [1, 1], pads: [anchor, anchor, after, after] });
  const dilate = (input: string) => pool(input);
  const erode = (input: string) => op('Neg', [pool(op('Neg', [input], `negated_${count}`))], `eroded_${count}`);
  const open = (input: string) => dilate(erode(input));
  const close = (input: string) => erode(dilate(input));
  const x = op('Unsqueeze', [op('Transpose', [op('Cast', ['image'], 'image_f', { to: onnxTypes.float })], 'chw', { perm: [2, 0, 1] }), 'axis0'], 'x');
  const result = {
    Erosion: () => erode(x),
    Dilation: () => dilate(x),
    Opening: () => open(x),
    Closing: () => close(x),
    'Opening then Closing': () => close(open(x)),
    Gradient: () => op('Sub', [dilate(x), erode(x)], 'gradient'),
    'Top Hat': () => op('Sub', [x, open(x)], 'top_hat'),
    'Black Hat': () => op('Sub', [close(x), x], 'black_hat'),
  }[operation]();
  const hwc = op('Transpose', [op('Squeeze', [result, 'axis0'], 'result_chw')], 'result_hwc', { perm: [1, 2, 0] });
  // OpenCV subtracts with saturation: with an even size the opening is shifted, so x − opening can be negative.
  op('Cast', [op('Clip', [hwc, 'zero', 'full'], 'clipped')], 'transformed', { to: onnxTypes.uint8 });
  return buildModel({
    name: 'morphological_transformation',
    inputs: [{ name: 'image', type: 'uint8', shape: ['height', 'width', 3] }],
    outputs: [{ name: 'transformed', type: 'uint8', shape: ['height', 'width', 3] }],
    nodes,
    initializers: [
      { name: 'axis0', dims: [1], data: new BigInt64Array([0n]) },
      { name: 'zero', dims: [], data: new Float32Array([0]) },
      { name: 'full', dims: [], data: new Float32Array([255]) },
    ],
    opset: 17,
  });
}

/** `operation` with a `size × size` rectangle on every band of interleaved RGB bytes. */
export async function morphology(data: Uint8Array, width: number, height: number, operation: MorphologyOperation, size: number): Promise<Uint8Array> {
  if (size === 1) {
    if (operation === 'Gradient' || operation === 'Top Hat' || operation === 'Black Hat') return new Uint8Array(data.length);
    return data;
  }
  const session = await graphSession(`morphology ${operation} ${size}`, () => buildMorphologyModel(operation, size));
  const outputs = await session.run({ image: { data, dims: [height, width, 3] } });
  return outputs.transformed!.data as Uint8Array;
}
