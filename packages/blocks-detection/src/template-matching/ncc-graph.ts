import { buildModel, type NodeSpec } from '@vad/models';

const FLOAT = 1;

/**
 * OpenCV's `matchTemplate(grey image, grey template, TM_CCOEFF_NORMED)` as an ONNX graph, for RGB
 * image and template bytes ([H, W, 3] and [h, w, 3]).
 *
 * - Grey as `cvtColor(BGR2GRAY)` on 8-bit pixels: (4899 R + 9617 G + 1868 B + 8192) >> 14, exact in
 *   float32 (every partial sum is an integer under 2²⁴).
 * - The score at (x, y) is Σ T′·I′ / √(Σ T′² · Σ I′²) over the w × h window, with T′ = T − mean(T)
 *   and I′ = I − the window's mean. Because Σ T′ = 0 the numerator is Σ T′·I: one Conv of the
 *   image with the centred template as its kernel. The window's Σ I′² = Σ I² − (Σ I)² / n comes
 *   from box sums (a column then a row of ones, two cheap Convs). The image is first centred on
 *   its own mean (rounded, so that sums of whole levels stay exact) to keep the float32 sums of
 *   squares small; Σ I² − mean · Σ I is then exactly 0 on a flat window.
 * - OpenCV's guards: with t = √max(Σ I′², 0) · ‖T′‖, the score is num / t when |num| < t, ±1 when
 *   |num| < 1.125 t, else 0 (so a flat window scores 0); a flat template scores 1 everywhere.
 *
 * Outputs `scores` [H − h + 1, W − w + 1] and `matches` [2, N] (int64 rows then columns, row-major
 * order) of the scores at or above the `threshold` input.
 */
export function buildTemplateMatchModel(): Uint8Array {
  const nodes: NodeSpec[] = [];
  const op = (type: string, inputs: string[], output: string, attributes?: NodeSpec['attributes']) => {
    nodes.push({ op: type, inputs, outputs: [output], ...(attributes && { attributes }) });
    return output;
  };
  // [H, W, 3] bytes → grey [1, 1, H, W] float.
  const grey = (input: string, name: string) => {
    const weighted = op('MatMul', [op('Cast', [input], `${name}_f`, { to: FLOAT }), 'gray_weights'], `${name}_weighted`); // [H, W, 1]
    const levels = op('Floor', [op('Div', [op('Add', [weighted, 'gray_round'], `${name}_rounded`), 'gray_scale'], `${name}_scaled`)], `${name}_levels`);
    return op('Unsqueeze', [op('Transpose', [levels], `${name}_chw`, { perm: [2, 0, 1] }), 'axis0'], `${name}_grey`);
  };
  const image = grey('image', 'image');
  const template = grey('template', 'template');

  const centred = op('Sub', [image, op('Round', [op('ReduceMean', [image], 'image_mean', { keepdims: 1 })], 'image_centre')], 'centred');
  const templateCentred = op('Sub', [template, op('ReduceMean', [template], 'template_mean', { keepdims: 1 })], 'template_centred');
  const templateNorm2 = op('ReduceSum', [op('Mul', [templateCentred, templateCentred], 'template_sq')], 'template_norm2', { keepdims: 0 });
  const templateNorm = op('Sqrt', [templateNorm2], 'template_norm');

  // Kernels of ones [1, 1, h, 1] and [1, 1, 1, w] from the template's shape.
  const shape = op('Shape', [template], 'template_shape'); // [1, 1, h, w]
  const columnShape = op('Concat', [op('Slice', [shape, 'start0', 'end3'], 'shape_1_1_h'), 'one_i64'], 'column_shape', { axis: 0 });
  const rowShape = op('Concat', [op('Slice', [shape, 'start0', 'end2'], 'shape_1_1'), 'one_i64', op('Slice', [shape, 'end3', 'end4'], 'shape_w')], 'row_shape', { axis: 0 });
  const onesValue = { tensor: { name: 'one_value', dims: [1], data: new Float32Array([1]) } };
  const column = op('ConstantOfShape', [columnShape], 'ones_column', { value: onesValue });
  const row = op('ConstantOfShape', [rowShape], 'ones_row', { value: onesValue });
  const boxSum = (input: string, name: string) => op('Conv', [op('Conv', [input, column], `${name}_columns`), row], name);
  const count = op('Cast', [op('ReduceProd', [shape], 'template_area', { keepdims: 0 })], 'area', { to: FLOAT });

  const numerator = op('Conv', [centred, templateCentred], 'numerator'); // [1, 1, H − h + 1, W − w + 1]
  const sum = boxSum(centred, 'window_sum');
  const sum2 = boxSum(op('Mul', [centred, centred], 'centred_sq'), 'window_sum2');
  const variance = op('Sub', [sum2, op('Mul', [op('Div', [sum, count], 'window_mean'), sum], 'window_mean_sum')], 'window_variance');
  const t = op('Mul', [op('Sqrt', [op('Max', [variance, 'zero'], 'window_variance_pos')], 'window_norm'), templateNorm], 't');
  const magnitude = op('Abs', [numerator], 'numerator_abs');
  const guarded = op(
    'Where',
    [
      op('Less', [magnitude, t], 'within'),
      op('Div', [numerator, t], 'ratio'),
      op('Where', [op('Less', [magnitude, op('Mul', [t, 'slack'], 't_slack')], 'within_slack'), op('Sign', [numerator], 'numerator_sign'), 'zero'], 'clamped'),
    ],
    'guarded',
  );
  const flatTemplate = op('LessOrEqual', [templateNorm2, 'zero'], 'flat_template');
  const scores4 = op('Where', [flatTemplate, 'one', guarded], 'scores4');
  op('Squeeze', [scores4, 'axes01'], 'scores');
  op('NonZero', [op('GreaterOrEqual', ['scores', 'threshold'], 'passes')], 'matches');

  const i64 = (name: string, values: number[], dims = [values.length]) => ({ name, dims, data: BigInt64Array.from(values.map(BigInt)) });
  const f32 = (name: string, value: number) => ({ name, dims: [], data: new Float32Array([value]) });
  return buildModel({
    name: 'match_template_ccoeff_normed',
    inputs: [
      { name: 'image', type: 'uint8', shape: ['height', 'width', 3] },
      { name: 'template', type: 'uint8', shape: ['template_height', 'template_width', 3] },
      { name: 'threshold', type: 'float32', shape: [] },
    ],
    outputs: [
      { name: 'scores', type: 'float32', shape: ['score_height', 'score_width'] },
      { name: 'matches', type: 'int64', shape: [2, 'matches'] },
    ],
    nodes,
    initializers: [
      { name: 'gray_weights', dims: [3, 1], data: new Float32Array([4899, 9617, 1868]) },
      f32('gray_round', 8192),
      f32('gray_scale', 16384),
      f32('zero', 0),
      f32('one', 1),
      f32('slack', 1.125),
      i64('axis0', [0]),
      i64('axes01', [0, 1]),
      i64('one_i64', [1]),
      i64('start0', [0]),
      i64('end2', [2]),
      i64('end3', [3]),
      i64('end4', [4]),
    ],
    opset: 17,
  });
}
