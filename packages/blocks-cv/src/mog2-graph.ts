import { buildModel, type InitializerSpec, type NodeSpec } from '@vad/models';

/** Gaussians per pixel and OpenCV's fixed MOG2 parameters (createBackgroundSubtractorMOG2's defaults). */
export const mog2Constants = {
  modes: 5,
  backgroundRatio: 0.9,
  varThresholdGen: 9,
  varInit: 15,
  varMin: 4,
  varMax: 75,
  complexityReduction: 0.05,
  shadowTau: 0.5,
  shadowValue: 127,
} as const;

const FLOAT = 1, BOOL = 9, UINT8 = 2;

/**
 * One MOG2 update (Zivkovic's adaptive mixture, as OpenCV's BackgroundSubtractorMOG2 runs it on
 * 3-band 8-bit frames) for every pixel at once, as an ONNX graph: JS never touches a pixel.
 *
 * State, K modes per pixel, kept sorted by weight (heaviest first; weight 0 = unused mode):
 * `weight` [K, H, W], `variance` [K, H, W], `mean` [K, H, W, 3]. Inputs `alpha` (learning rate),
 * `alpha1` (1 − alpha), `prune` (−alpha · 0.05) and `tb` (varThreshold) are float32 scalars, so the
 * graph computes in float32 exactly what OpenCV's per-pixel loop computes:
 * - the loop over modes in weight order becomes masks over the K axis: the first mode whose squared
 *   distance is under Tg·var fits (an exclusive cumulative sum of "fits" finds it); the pixel is
 *   background when a mode at or before it has distance under Tb·var while the modes before it weigh
 *   less than 0.9 in total (exclusive cumulative sum of the updated weights);
 * - every mode's weight decays (alpha1·w + prune), the fitted one gains alpha and moves its mean and
 *   variance (clamped to [4, 75]) toward the pixel; modes that fall under −prune are dropped;
 * - weights are renormalized; with no fit a new mode (the pixel, variance 15, weight alpha, or 1 when
 *   it is the only one) replaces the lightest, the others shrink by alpha1;
 * - OpenCV's bubble sort of the one mode that moved is a full sort by weight here (TopK), which
 *   orders the same way (the other weights all scale alike) except between exactly equal weights;
 * - shadow (127): for the background modes in order, the pixel is a darker copy of the mode's mean
 *   (0.5 ≤ a ≤ 1 for a = x·μ/μ·μ) within the colour distortion ‖aμ − x‖² < Tb·var·a².
 * Output `mask` [H, W, 3]: 0 background, 127 shadow, 255 foreground, the same in every band.
 */
export function buildMog2Model(): Uint8Array {
  const K = mog2Constants.modes;
  const nodes: NodeSpec[] = [];
  const op = (type: string, inputs: string[], output: string, attributes?: NodeSpec['attributes']) => {
    nodes.push({ op: type, inputs, outputs: [output], ...(attributes && { attributes }) });
    return output;
  };
  const cast = (input: string, to: number, output: string) => op('Cast', [input], output, { to });
  const cumulative = (input: string, output: string, exclusive: boolean) => {
    const asFloat = cast(input, FLOAT, `${output}_f`);
    return op('CumSum', [asFloat, 'axis0'], output, { exclusive: exclusive ? 1 : 0 });
  };
  // ReduceMax takes its axes as an attribute until opset 18.
  const anyOver = (input: string, output: string) => cast(op('ReduceMax', [cast(input, FLOAT, `${output}_f`)], `${output}_max`, { axes: [0], keepdims: 1 }), BOOL, output);

  const x = op('Unsqueeze', [cast('frame', FLOAT, 'x_hwc'), 'axis0'], 'x'); // [1, H, W, 3]
  const valid = op('Greater', ['weight', 'zero'], 'valid');
  const difference = op('Sub', ['mean', x], 'difference'); // μ − x, OpenCV's dData
  const dist2 = op('ReduceSum', [op('Mul', [difference, difference], 'difference2'), 'axis3'], 'dist2', { keepdims: 0 });

  // The loop over modes: the first that fits, and the background test at and before it.
  const fits = op('And', [valid, op('Less', [dist2, op('Mul', ['variance', 'tg'], 'tg_var')], 'fits_raw')], 'fits');
  const reachable = op('Not', [op('Greater', [cumulative(fits, 'fits_before', true), 'zero'], 'fit_before')], 'reachable');
  const fitted = op('And', [fits, reachable], 'fitted');
  const anyFit = anyOver(fitted, 'any_fit'); // [1, H, W]
  const decayed = op('Add', [op('Mul', ['weight', 'alpha1'], 'weight_scaled'), 'prune'], 'decayed');
  const grown = op('Add', [decayed, op('Mul', [cast(fitted, FLOAT, 'fitted_f'), 'alpha'], 'gain')], 'grown');
  const kept = op('And', [valid, op('Not', [op('Less', [grown, 'minus_prune'], 'pruned')], 'not_pruned')], 'kept');
  const updated = op('Where', [kept, grown, 'zero'], 'updated');
  const weightBefore = op('CumSum', [updated, 'axis0'], 'weight_before', { exclusive: 1 });
  const backgroundMode = op(
    'And',
    [
      op('And', [valid, reachable], 'checked'),
      op('And', [op('Less', [weightBefore, 'tb_ratio'], 'light_before'), op('Less', [dist2, op('Mul', ['variance', 'tb'], 'tb_var')], 'close')], 'background_test'),
    ],
    'background_mode',
  );
  const background = anyOver(backgroundMode, 'background'); // [1, H, W]

  // The fitted mode's mean and variance move toward the pixel.
  const rate = op('Div', ['alpha', grown], 'rate');
  const fitted4 = op('Unsqueeze', [fitted, 'axis3'], 'fitted4');
  const movedMean = op('Sub', ['mean', op('Mul', [op('Unsqueeze', [rate, 'axis3'], 'rate4'), difference], 'step')], 'moved_mean');
  const mean1 = op('Where', [fitted4, movedMean, 'mean'], 'mean1');
  const movedVariance = op('Clip', [op('Add', ['variance', op('Mul', [rate, op('Sub', [dist2, 'variance'], 'variance_error')], 'variance_step')], 'variance_raw'), 'var_min', 'var_max'], 'moved_variance');
  const variance1 = op('Where', [fitted, movedVariance, 'variance'], 'variance1');

  // Renormalize (no weight left: all zero, as OpenCV's FLT_EPSILON guard).
  const total = op('ReduceSum', [updated, 'axis0'], 'total', { keepdims: 1 });
  const inverse = op('Where', [op('Greater', [op('Abs', [total], 'total_abs'), 'epsilon'], 'has_total'), op('Div', ['one', total], 'total_inverse'), 'zero'], 'inverse');
  const normalized = op('Mul', [updated, inverse], 'normalized');

  // No fit: a new mode replaces the lightest (the last slot: unused or lightest, the modes are sorted).
  const isNew = op('And', [op('Not', [anyFit], 'no_fit'), 'last_slot'], 'is_new'); // [K, H, W]
  const alone = op('Not', [anyOver(kept, 'any_kept')], 'alone');
  const newWeight = op('Where', [alone, 'one', 'alpha'], 'new_weight');
  const shrunk = op('Where', [anyFit, normalized, op('Mul', [normalized, 'alpha1'], 'normalized_shrunk')], 'shrunk');
  const weight2 = op('Where', [isNew, newWeight, shrunk], 'weight2');
  const mean2 = op('Where', [op('Unsqueeze', [isNew, 'axis3'], 'is_new4'), x, mean1], 'mean2');
  const variance2 = op('Where', [isNew, 'var_init', variance1], 'variance2');

  // Heaviest first.
  nodes.push({ op: 'TopK', inputs: [weight2, 'modes'], outputs: ['weight_out', 'order'], attributes: { axis: 0, largest: 1, sorted: 1 } });
  op('GatherElements', [variance2, 'order'], 'variance_out', { axis: 0 });
  const order4 = op('Expand', [op('Unsqueeze', ['order', 'axis3'], 'order4'), op('Shape', [mean2], 'mean_shape')], 'order_means');
  op('GatherElements', [mean2, order4], 'mean_out', { axis: 0 });

  // Shadow test on the updated model.
  const valid2 = op('Greater', ['weight_out', 'zero'], 'valid2');
  const numerator = op('ReduceSum', [op('Mul', ['mean_out', x], 'x_mu'), 'axis3'], 'numerator', { keepdims: 0 });
  const denominator = op('ReduceSum', [op('Mul', ['mean_out', 'mean_out'], 'mu_mu'), 'axis3'], 'denominator', { keepdims: 0 });
  const zeroMean = op('And', [valid2, op('Equal', [denominator, 'zero'], 'denominator_zero')], 'zero_mean');
  const stopped = op('Greater', [cumulative(zeroMean, 'zero_means', false), 'zero'], 'stopped');
  const inBackground = op('LessOrEqual', [op('CumSum', ['weight_out', 'axis0'], 'shadow_weight_before', { exclusive: 1 }), 'tb_ratio'], 'in_background');
  const darker = op('And', [op('LessOrEqual', [numerator, denominator], 'not_brighter'), op('GreaterOrEqual', [numerator, op('Mul', [denominator, 'tau'], 'tau_denominator')], 'not_too_dark')], 'darker');
  const a = op('Div', [numerator, denominator], 'a');
  const distortion = op('Sub', [op('Mul', [op('Unsqueeze', [a, 'axis3'], 'a4'), 'mean_out'], 'a_mu'), x], 'distortion');
  const distortion2 = op('ReduceSum', [op('Mul', [distortion, distortion], 'distortion_sq'), 'axis3'], 'distortion2', { keepdims: 0 });
  const withinDistortion = op('Less', [distortion2, op('Mul', [op('Mul', [op('Mul', ['variance_out', 'tb'], 'tb_var2'), a], 'tb_var_a'), a], 'distortion_limit')], 'within_distortion');
  const shadowMode = op('And', [op('And', [op('And', [valid2, op('Not', [stopped], 'not_stopped')], 'shadow_checked'), inBackground], 'shadow_candidate'), op('And', [darker, withinDistortion], 'shadow_like')], 'shadow_mode');
  const shadow = anyOver(shadowMode, 'shadow');

  const level = op('Where', [background, 'zero', op('Where', [shadow, 'shadow_level', 'full'], 'foreground_level')], 'level'); // [1, H, W]
  const level3 = op('Expand', [op('Transpose', [level], 'level_hw1', { perm: [1, 2, 0] }), op('Shape', ['frame'], 'frame_shape')], 'level3');
  cast(level3, UINT8, 'mask');

  const scalar = (name: string, value: number): InitializerSpec => ({ name, dims: [], data: new Float32Array([value]) });
  const axis = (name: string, value: number): InitializerSpec => ({ name, dims: [1], data: new BigInt64Array([BigInt(value)]) });
  const lastSlot = new Uint8Array(K);
  lastSlot[K - 1] = 1;
  return buildModel({
    name: 'mog2_update',
    inputs: [
      { name: 'frame', type: 'uint8', shape: ['height', 'width', 3] },
      { name: 'weight', type: 'float32', shape: [K, 'height', 'width'] },
      { name: 'variance', type: 'float32', shape: [K, 'height', 'width'] },
      { name: 'mean', type: 'float32', shape: [K, 'height', 'width', 3] },
      { name: 'alpha', type: 'float32', shape: [] },
      { name: 'alpha1', type: 'float32', shape: [] },
      { name: 'prune', type: 'float32', shape: [] },
      { name: 'minus_prune', type: 'float32', shape: [] },
      { name: 'tb', type: 'float32', shape: [] },
    ],
    outputs: [
      { name: 'mask', type: 'uint8', shape: ['height', 'width', 3] },
      { name: 'weight_out', type: 'float32', shape: [K, 'height', 'width'] },
      { name: 'variance_out', type: 'float32', shape: [K, 'height', 'width'] },
      { name: 'mean_out', type: 'float32', shape: [K, 'height', 'width', 3] },
    ],
    nodes,
    initializers: [
      axis('axis0', 0),
      axis('axis3', 3),
      { name: 'modes', dims: [1], data: new BigInt64Array([BigInt(K)]) },
      { name: 'last_slot', dims: [K, 1, 1], data: lastSlot, type: 'bool' },
      scalar('zero', 0),
      scalar('one', 1),
      scalar('full', 255),
      scalar('shadow_level', mog2Constants.shadowValue),
      scalar('epsilon', 1.1920928955078125e-7),
      scalar('tg', mog2Constants.varThresholdGen),
      scalar('tb_ratio', mog2Constants.backgroundRatio),
      scalar('var_init', mog2Constants.varInit),
      scalar('var_min', mog2Constants.varMin),
      scalar('var_max', mog2Constants.varMax),
      scalar('tau', mog2Constants.shadowTau),
    ],
    opset: 17,
  });
}
