import { buildModel, type InitializerSpec } from '@vad/models';
import { bilateralReference } from './bilateral-reference.js';
import { graphNodes, graphSession, onnxTypes } from './graph.js';

/** OpenCV's taps for diameter d: offsets within a disc of radius d / 2 and their spatial weights exp(−r² / 2σs²). */
function bilateralTaps(d: number, sigmaSpace: number) {
  const radius = Math.max(1, Math.floor(d / 2));
  const taps: { dx: number; dy: number; weight: number }[] = [];
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const r = Math.sqrt(dx * dx + dy * dy);
      if (r <= radius) taps.push({ dx, dy, weight: Math.fround(Math.exp((-0.5 * r * r) / (sigmaSpace * sigmaSpace))) });
    }
  }
  return { radius, taps };
}

/**
 * The bilateral filter as one ONNX graph over [C, H, W]: the input is reflected by the radius
 * (ONNX's `reflect` is OpenCV's BORDER_REFLECT_101), each tap is a Slice of the padded image, its
 * colour distance (|Δ| summed over the bands: an integer) indexes the table exp(−c² / 2σc²) (OpenCV
 * looks the same table up), and Σ w·I / Σ w is rounded half to even (cvRound) to 8 bits.
 */
function buildBilateralModel(d: number, sigmaSpace: number, bands: 1 | 3): Uint8Array {
  const { radius, taps } = bilateralTaps(d, sigmaSpace);
  const { nodes, op } = graphNodes();
  const chw = op('Transpose', [op('Cast', ['image'], 'image_f', { to: onnxTypes.float })], 'chw', { perm: [2, 0, 1] });
  const x = bands === 1 ? op('Slice', [chw, 'zero_i', 'one_i', 'zero_i'], 'x') : chw;
  const padded = op('Pad', [x, 'pads'], 'padded', { mode: 'reflect' });
  const initializers: InitializerSpec[] = [
    { name: 'zero_i', dims: [1], data: new BigInt64Array([0n]) },
    { name: 'one_i', dims: [1], data: new BigInt64Array([1n]) },
    { name: 'axes_hw', dims: [2], data: new BigInt64Array([1n, 2n]) },
    { name: 'pads', dims: [6], data: new BigInt64Array([0, radius, radius, 0, radius, radius].map(BigInt)) },
    { name: 'bands3', dims: [3], data: new BigInt64Array([3n, 1n, 1n]) },
  ];
  let sum = '', weights = '';
  taps.forEach(({ dx, dy, weight }, t) => {
    const end = (offset: number) => (radius - offset > 0 ? -(radius - offset) : 2 ** 31 - 1);
    initializers.push(
      { name: `start_${t}`, dims: [2], data: new BigInt64Array([BigInt(radius + dy), BigInt(radius + dx)]) },
      { name: `end_${t}`, dims: [2], data: new BigInt64Array([BigInt(end(dy)), BigInt(end(dx))]) },
      { name: `space_${t}`, dims: [], data: new Float32Array([weight]) },
    );
    const window = op('Slice', [padded, `start_${t}`, `end_${t}`, 'axes_hw'], `window_${t}`);
    const difference = op('Abs', [op('Sub', [window, x], `delta_${t}`)], `abs_${t}`);
    const distance = bands === 1 ? difference : op('ReduceSum', [difference, 'zero_i'], `distance_${t}`, { keepdims: 1 });
    const colour = op('Gather', ['color_table', op('Cast', [distance], `index_${t}`, { to: onnxTypes.int64 })], `colour_${t}`, { axis: 0 });
    const w = op('Mul', [colour, `space_${t}`], `w_${t}`);
    const weighted = op('Mul', [window, w], `weighted_${t}`);
    sum = sum ? op('Add', [sum, weighted], `sum_${t}`) : weighted;
    weights = weights ? op('Add', [weights, w], `weights_${t}`) : w;
  });
  const rounded = op('Round', [op('Div', [sum, weights], 'mean')], 'rounded');
  const levels = bands === 1 ? op('Expand', [rounded, 'bands3'], 'levels') : rounded;
  op('Cast', [op('Transpose', [levels], 'hwc', { perm: [1, 2, 0] })], 'filtered', { to: onnxTypes.uint8 });
  return buildModel({
    name: 'bilateral_filter',
    inputs: [
      { name: 'image', type: 'uint8', shape: ['height', 'width', 3] },
      { name: 'color_table', type: 'float32', shape: [255 * bands + 1] },
    ],
    outputs: [{ name: 'filtered', type: 'uint8', shape: ['height', 'width', 3] }],
    nodes,
    initializers,
    opset: 17,
  });
}

/** True when every pixel of interleaved RGB `data` has three equal bands. */
function isGray(data: Uint8Array): boolean {
  for (let i = 0; i < data.length; i += 3) if (data[i] !== data[i + 1] || data[i] !== data[i + 2]) return false;
  return true;
}

/**
 * OpenCV's `bilateralFilter(src, d, sigmaColor, sigmaSpace)` on interleaved 8-bit RGB: taps within a
 * disc of radius d / 2, spatial weight exp(−r² / 2σs²), colour weight exp(−c² / 2σc²) with c the sum
 * of the bands' absolute differences, over a reflected border. A grey image (three equal bands) is
 * filtered as one band, as OpenCV filters Roboflow's single-channel grey. The per-pixel work is an
 * ONNX graph; an image no larger than the radius (which ONNX cannot reflect) takes the JS reference.
 */
export async function bilateralFilter(data: Uint8Array, width: number, height: number, d: number, sigmaColor: number, sigmaSpace: number): Promise<Uint8Array> {
  const radius = Math.max(1, Math.floor(d / 2));
  if (width <= radius || height <= radius) return bilateralReference(data, width, height, d, sigmaColor, sigmaSpace);
  const bands = isGray(data) ? 1 : 3;
  const table = new Float32Array(255 * bands + 1);
  for (let c = 0; c < table.length; c++) table[c] = Math.exp((-0.5 * c * c) / (sigmaColor * sigmaColor));
  const session = await graphSession(`bilateral d=${d} σs=${sigmaSpace} bands=${bands}`, () => buildBilateralModel(d, sigmaSpace, bands));
  const outputs = await session.run({ image: { data, dims: [height, width, 3] }, color_table: { data: table, dims: [table.length] } });
  return outputs.filtered!.data as Uint8Array;
}
