import { buildModel, type NodeSpec } from '@vad/models';

const FLOAT = 1, INT64 = 7;

/**
 * The per-pixel part of Roboflow's auto_rotate_on_edges as one ONNX graph, on a prepared grey image
 * (three equal bands, [H, W, 3] bytes):
 * - Sobel gradients (3 × 3, OpenCV's kernels, reflect-101 border: ONNX Pad's "reflect") and their
 *   magnitude;
 * - the 80th percentile of the magnitude (numpy's linear interpolation between the sorted values
 *   at `low` and `low` + 1; TopK of the `k` = n − low largest gives both) as the threshold (at
 *   least 1e-6) that picks the strong-edge pixels;
 * - the gradient orientation mod 180° of those pixels (atan(gy / gx), folded into [0, 180): the
 *   same angle as atan2 mod 180, as ONNX has no Atan2) and a 180-bin magnitude-weighted histogram
 *   (ScatterElements with add), smoothed by a circular 5-bin mean;
 * - the smoothed histogram's first peak p (+ 0.5) and, over the strong pixels within 3° of it
 *   (circularly), the magnitude-weighted sums of sin 2θ and cos 2θ for the doubled-angle mean.
 * Outputs `smoothed` [180], `peak` (int64 bin), `sin_sum`, `cos_sum`, `selected` (pixel count).
 */
export function buildEdgeOrientationModel(): Uint8Array {
  const nodes: NodeSpec[] = [];
  const op = (type: string, inputs: string[], output: string, attributes?: NodeSpec['attributes']) => {
    nodes.push({ op: type, inputs, outputs: [output], ...(attributes && { attributes }) });
    return output;
  };
  const band = op('Gather', [op('Cast', ['image'], 'image_f', { to: FLOAT }), 'index0'], 'band', { axis: 2 }); // [H, W]
  const padded = op('Pad', [op('Unsqueeze', [band, 'axes01'], 'band4'), 'pads'], 'padded', { mode: 'reflect' });
  const gradients = op('Conv', [padded, 'sobel'], 'gradients'); // [1, 2, H, W]
  const gx = op('Reshape', [op('Gather', [gradients, 'index0'], 'gx_map', { axis: 1 }), 'flat'], 'gx');
  const gy = op('Reshape', [op('Gather', [gradients, 'index1'], 'gy_map', { axis: 1 }), 'flat'], 'gy');
  const magnitude = op('Sqrt', [op('Add', [op('Mul', [gx, gx], 'gx2'), op('Mul', [gy, gy], 'gy2')], 'magnitude2')], 'magnitude'); // [n]

  nodes.push({ op: 'TopK', inputs: [magnitude, 'k'], outputs: ['largest', 'largest_index'], attributes: { axis: 0, largest: 1, sorted: 1 } });
  const atLow = op('Gather', ['largest', 'low_position'], 'at_low');
  const atHigh = op('Gather', ['largest', 'high_position'], 'at_high');
  const percentile = op('Add', [atLow, op('Mul', [op('Sub', [atHigh, atLow], 'step'), 'fraction'], 'step_fraction')], 'percentile');
  const threshold = op('Max', [percentile, 'tiny'], 'threshold');
  const keep = op('GreaterOrEqual', [magnitude, threshold], 'keep');

  const atanDegrees = op('Mul', [op('Atan', [op('Div', [gy, gx], 'slope')], 'atan'), 'to_degrees'], 'atan_degrees');
  const folded = op('Where', [op('Less', [atanDegrees, 'zero'], 'negative'), op('Add', [atanDegrees, 'half_turn'], 'atan_plus'), atanDegrees], 'folded');
  const theta = op('Where', [keep, folded, 'zero'], 'theta'); // 0 where not kept (and no NaN)
  const weight = op('Where', [keep, magnitude, 'zero'], 'weight');
  const bin = op('Cast', [op('Min', [op('Floor', [theta], 'theta_floor'), 'last_bin'], 'bin_f')], 'bin', { to: INT64 });
  const histogram = op('ScatterElements', ['bins_zero', bin, weight], 'histogram', { axis: 0, reduction: 'add' });
  const extended = op('Concat', [op('Slice', [histogram, 'minus2', 'end180'], 'tail2'), histogram, op('Slice', [histogram, 'start0', 'two_i64'], 'head2')], 'extended', { axis: 0 });
  const smoothed = op('Reshape', [op('Conv', [op('Reshape', [extended, 'shape_1_1_184'], 'extended3'), 'box5'], 'smoothed3'), 'flat'], 'smoothed');
  const peak = op('ArgMax', [smoothed], 'peak', { axis: 0, keepdims: 0, select_last_index: 0 });
  const centre = op('Add', [op('Cast', [peak], 'peak_f', { to: FLOAT }), 'half'], 'centre');
  const distance = op('Abs', [op('Sub', [theta, centre], 'offset')], 'distance');
  const circular = op('Min', [distance, op('Sub', ['half_turn', distance], 'distance_other_way')], 'circular');
  const selected = op('And', [keep, op('LessOrEqual', [circular, 'window'], 'near_peak')], 'selected');
  const selectedWeight = op('Where', [selected, weight, 'zero'], 'selected_weight');
  const doubled = op('Mul', [theta, 'to_doubled_radians'], 'doubled');
  op('ReduceSum', [op('Mul', [selectedWeight, op('Sin', [doubled], 'sin2')], 'weighted_sin')], 'sin_sum', { keepdims: 0 });
  op('ReduceSum', [op('Mul', [selectedWeight, op('Cos', [doubled], 'cos2')], 'weighted_cos')], 'cos_sum', { keepdims: 0 });
  op('ReduceSum', [op('Cast', [selected], 'selected_f', { to: FLOAT })], 'selected_count', { keepdims: 0 });

  const i64 = (name: string, values: number[], dims = [values.length]) => ({ name, dims, data: BigInt64Array.from(values.map(BigInt)) });
  const f32 = (name: string, value: number) => ({ name, dims: [], data: new Float32Array([value]) });
  return buildModel({
    name: 'edge_orientation',
    inputs: [
      { name: 'image', type: 'uint8', shape: ['height', 'width', 3] },
      { name: 'k', type: 'int64', shape: [1] },
      { name: 'low_position', type: 'int64', shape: [] },
      { name: 'high_position', type: 'int64', shape: [] },
      { name: 'fraction', type: 'float32', shape: [] },
    ],
    outputs: [
      { name: 'smoothed', type: 'float32', shape: [180] },
      { name: 'peak', type: 'int64', shape: [] },
      { name: 'sin_sum', type: 'float32', shape: [] },
      { name: 'cos_sum', type: 'float32', shape: [] },
      { name: 'selected_count', type: 'float32', shape: [] },
    ],
    nodes,
    initializers: [
      // Sobel dx then dy, as OpenCV correlates them (ONNX Conv correlates too).
      { name: 'sobel', dims: [2, 1, 3, 3], data: new Float32Array([-1, 0, 1, -2, 0, 2, -1, 0, 1, -1, -2, -1, 0, 0, 0, 1, 2, 1]) },
      { name: 'box5', dims: [1, 1, 5], data: new Float32Array(5).fill(1 / 5) },
      { name: 'bins_zero', dims: [180], data: new Float32Array(180) },
      i64('pads', [0, 0, 1, 1, 0, 0, 1, 1]),
      i64('axes01', [0, 1]),
      i64('flat', [-1]),
      i64('index0', [0], []),
      i64('index1', [1], []),
      i64('minus2', [-2]),
      i64('end180', [180]),
      i64('start0', [0]),
      i64('two_i64', [2]),
      i64('shape_1_1_184', [1, 1, 184]),
      f32('zero', 0),
      f32('half', 0.5),
      f32('tiny', 1e-6),
      f32('half_turn', 180),
      f32('last_bin', 179),
      f32('window', 3),
      f32('to_degrees', 180 / Math.PI),
      f32('to_doubled_radians', (2 * Math.PI) / 180),
    ],
    opset: 17,
  });
}
