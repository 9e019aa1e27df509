import { buildModel } from '@vad/models';
import { graphNodes, graphSession, onnxTypes } from './graph.js';

/**
 * The edge map of Roboflow's mask_edge_snap as one ONNX graph over the grey [H, W] image: Sobel
 * 3 × 3 in x and y on the grey reflected by one pixel (OpenCV's BORDER_REFLECT_101) and their
 * magnitude; its local mean and standard deviation over a `window × window` box (reflected border,
 * as cv2.boxFilter); edges where magnitude > mean + sigma · std. With `closing` > 0: a morphological
 * closing by a (2·closing + 1) square (OpenCV's 3 × 3 rectangle `closing` times: dilations then
 * erosions), then one Zhang–Suen thinning iteration (both sub-iterations, on the interior pixels).
 */
function buildEdgeModel(window: number, closing: number): Uint8Array {
  const { nodes, op } = graphNodes();
  const half = Math.floor(window / 2);
  const gray = op('Unsqueeze', [op('Cast', ['gray'], 'gray_f', { to: onnxTypes.float }), 'axes01'], 'gray4');
  const gradients = op('Conv', [op('Pad', [gray, 'pads1'], 'padded', { mode: 'reflect' }), 'sobel'], 'gradients');
  const magnitude = op('Sqrt', [op('ReduceSum', [op('Mul', [gradients, gradients], 'squares'), 'axis1'], 'sum_squares', { keepdims: 1 })], 'magnitude4');
  const boxMean = (input: string, name: string) =>
    op('AveragePool', [op('Pad', [input, 'pads_window'], `${name}_padded`, { mode: 'reflect' })], name, { kernel_shape: [window, window], strides: [1, 1] });
  const mean = boxMean(magnitude, 'mean');
  const meanSquares = boxMean(op('Mul', [magnitude, magnitude], 'magnitude_squared'), 'mean_squares');
  const std = op('Sqrt', [op('Max', [op('Sub', [meanSquares, op('Mul', [mean, mean], 'mean_squared')], 'variance_raw'), 'zero'], 'variance')], 'std');
  const threshold = op('Add', [mean, op('Mul', [std, 'sigma'], 'spread')], 'threshold');
  let edges = op('Cast', [op('Greater', [magnitude, threshold], 'above')], 'edges_raw', { to: onnxTypes.float });
  if (closing > 0) {
    const size = 2 * closing + 1;
    const pool = { kernel_shape: [size, size], strides: [1, 1], pads: [closing, closing, closing, closing] };
    const dilated = op('MaxPool', [edges], 'dilated', pool);
    edges = op('Neg', [op('MaxPool', [op('Neg', [dilated], 'dilated_negated')], 'closed_negated', pool)], 'closed');
    edges = thinOnce(op, edges);
  }
  op('Squeeze', [magnitude, 'axes01'], 'magnitude');
  op('Cast', [op('Squeeze', [edges, 'axes01'], 'edges_f')], 'edges', { to: onnxTypes.uint8 });
  // Eight one-hot 3 × 3 kernels P2..P9 (Zhang–Suen's neighbour order from north, clockwise) and P1, the centre.
  const offsets = [[-1, 0], [-1, 1], [0, 1], [1, 1], [1, 0], [1, -1], [0, -1], [-1, -1], [0, 0]];
  const neighbours = new Float32Array(9 * 9);
  offsets.forEach(([dy, dx], channel) => (neighbours[channel * 9 + (dy! + 1) * 3 + (dx! + 1)] = 1));
  const i64 = (name: string, values: number[], dims = [values.length]) => ({ name, dims, data: new BigInt64Array(values.map(BigInt)) });
  return buildModel({
    name: 'mask_edge_snap_edges',
    inputs: [
      { name: 'gray', type: 'uint8', shape: ['height', 'width'] },
      { name: 'sigma', type: 'float32', shape: [] },
    ],
    outputs: [
      { name: 'magnitude', type: 'float32', shape: ['height', 'width'] },
      { name: 'edges', type: 'uint8', shape: ['height', 'width'] },
    ],
    nodes,
    initializers: [
      i64('axes01', [0, 1]),
      i64('axis1', [1]),
      i64('pads1', [0, 0, 1, 1, 0, 0, 1, 1]),
      i64('pads_window', [0, 0, half, half, 0, 0, half, half]),
      i64('pads_interior', [0, 0, 1, 1, 0, 0, 1, 1]),
      { name: 'sobel', dims: [2, 1, 3, 3], data: new Float32Array([-1, 0, 1, -2, 0, 2, -1, 0, 1, -1, -2, -1, 0, 0, 0, 1, 2, 1]) },
      { name: 'neighbours', dims: [9, 1, 3, 3], data: neighbours },
      { name: 'zero', dims: [], data: new Float32Array([0]) },
      { name: 'one', dims: [], data: new Float32Array([1]) },
      { name: 'two', dims: [], data: new Float32Array([2]) },
      { name: 'six', dims: [], data: new Float32Array([6]) },
      ...Array.from({ length: 9 }, (_, k) => i64(`channel${k}`, [k], [])),
    ],
    opset: 17,
  });
}

type Op = ReturnType<typeof graphNodes>['op'];

/** One Zhang–Suen iteration on a 0/1 float [1, 1, H, W]; the border rows and columns stay as they are. */
function thinOnce(op: Op, image: string): string {
  const subIteration = (input: string, pass: 1 | 2) => {
    const name = (s: string) => `zs${pass}_${s}`;
    // A valid convolution: one value per interior pixel, [1, 9, H − 2, W − 2].
    const stack = op('Conv', [input, 'neighbours'], name('stack'));
    const p = Array.from({ length: 9 }, (_, k) => op('Gather', [stack, `channel${k}`], name(`p${k + 2}`), { axis: 1 }));
    const [p2, p3, p4, p5, p6, p7, p8, p9, p1] = p as [string, string, string, string, string, string, string, string, string];
    const ring = [p2, p3, p4, p5, p6, p7, p8, p9];
    let count = ring[0]!;
    for (let k = 1; k < 8; k++) count = op('Add', [count, ring[k]!], name(`b${k}`));
    let transitions = '';
    for (let k = 0; k < 8; k++) {
      const rise = op('Mul', [op('Sub', ['one', ring[k]!], name(`off${k}`)), ring[(k + 1) % 8]!], name(`rise${k}`));
      transitions = k === 0 ? rise : op('Add', [transitions, rise], name(`a${k}`));
    }
    const isOne = (value: string, s: string) => op('Cast', [op('Equal', [value, 'one'], name(`${s}_eq`))], name(s), { to: onnxTypes.float });
    const atLeastTwo = op('Cast', [op('Not', [op('Less', [count, 'two'], name('b_lt2'))], name('b_ge2'))], name('b_ge2_f'), { to: onnxTypes.float });
    const atMostSix = op('Cast', [op('Not', [op('Greater', [count, 'six'], name('b_gt6'))], name('b_le6'))], name('b_le6_f'), { to: onnxTypes.float });
    const base = op('Mul', [op('Mul', [op('Mul', [p1, atLeastTwo], name('base1')), atMostSix], name('base2')), isOne(transitions, 'a_is1')], name('base'));
    const none = (a: string, b: string, c: string, s: string) => op('Sub', ['one', op('Mul', [op('Mul', [a, b], name(`${s}_ab`)), c], name(`${s}_abc`))], name(s));
    const keepA = pass === 1 ? none(p2, p4, p6, 'c1') : none(p2, p4, p8, 'c1');
    const keepB = pass === 1 ? none(p4, p6, p8, 'c2') : none(p2, p6, p8, 'c2');
    const remove = op('Mul', [op('Mul', [base, keepA], name('r1')), keepB], name('remove'));
    // Back to [1, 1, H, W]: nothing is removed on the border, which Zhang–Suen leaves alone.
    const removed = op('Pad', [op('Unsqueeze', [remove, 'axis1'], name('remove4')), 'pads_interior'], name('remove_full'));
    return op('Mul', [input, op('Sub', ['one', removed], name('keep'))], name('thinned'));
  };
  return subIteration(subIteration(image, 1), 2);
}

/** Sobel magnitude [H, W] and the 0/1 edge map of the grey image. */
export async function edgeMap(gray: Uint8Array, width: number, height: number, options: { window: number; sigma: number; closing: number }) {
  const session = await graphSession(`mask edge snap ${options.window} ${options.closing}`, () => buildEdgeModel(options.window, options.closing));
  const outputs = await session.run({ gray: { data: gray, dims: [height, width] }, sigma: { data: new Float32Array([options.sigma]), dims: [] } });
  return { magnitude: outputs.magnitude!.data as Float32Array, edges: outputs.edges!.data as Uint8Array };
}

/**
 * Binary morphology of a 0/1 mask [H, W] with any 0/1 structuring element (odd side, centred), as
 * one ONNX graph whose kernel is an input: dilation where the element covers a set pixel, erosion
 * where it covers no unset one (pixels outside the image count as neither, as OpenCV ignores them).
 */
function buildMaskMorphologyModel(): Uint8Array {
  const { nodes, op } = graphNodes();
  const mask = op('Unsqueeze', [op('Cast', ['mask'], 'mask_f', { to: onnxTypes.float }), 'axes01'], 'mask4');
  const conv = (input: string, name: string) => op('Conv', [input, 'element'], name, { auto_pad: 'SAME_UPPER' });
  op('Cast', [op('Squeeze', [op('Greater', [conv(mask, 'covered'), 'half'], 'dilated_b'), 'axes01'], 'dilated_s')], 'dilated', { to: onnxTypes.uint8 });
  const holes = conv(op('Sub', ['one', mask], 'complement'), 'uncovered');
  op('Cast', [op('Squeeze', [op('Less', [holes, 'half'], 'eroded_b'), 'axes01'], 'eroded_s')], 'eroded', { to: onnxTypes.uint8 });
  return buildModel({
    name: 'mask_morphology',
    inputs: [
      { name: 'mask', type: 'uint8', shape: ['height', 'width'] },
      { name: 'element', type: 'float32', shape: [1, 1, 'size', 'size'] },
    ],
    outputs: [
      { name: 'dilated', type: 'uint8', shape: ['height', 'width'] },
      { name: 'eroded', type: 'uint8', shape: ['height', 'width'] },
    ],
    nodes,
    initializers: [
      { name: 'axes01', dims: [2], data: new BigInt64Array([0n, 1n]) },
      { name: 'one', dims: [], data: new Float32Array([1]) },
      { name: 'half', dims: [], data: new Float32Array([0.5]) },
    ],
    opset: 17,
  });
}

/** Dilation and erosion of a 0/1 mask by a square 0/1 element given row by row. */
export async function maskMorphology(mask: Uint8Array, width: number, height: number, element: readonly (readonly number[])[]) {
  const size = element.length;
  const session = await graphSession('mask morphology', buildMaskMorphologyModel);
  const outputs = await session.run({ mask: { data: mask, dims: [height, width] }, element: { data: Float32Array.from(element.flat()), dims: [1, 1, size, size] } });
  return { dilated: outputs.dilated!.data as Uint8Array, eroded: outputs.eroded!.data as Uint8Array };
}
