import type { VadImage } from '@vad/core';
import { buildModel } from '@vad/models';
import { graphNodes, graphSession, onnxTypes } from './graph.js';
import { grayBytes } from './grayscale.js';
import { bandOf, imageLike, pipelineOf } from './pixels.js';

/**
 * Tenengrad with Roboflow's camera_focus@v2 overlays, one ONNX graph over the grey [H, W] and the
 * RGB [H, W, 3] image: Sobel 3 × 3 in x and y on the grey reflected by one pixel (OpenCV's
 * BORDER_REFLECT_101), gx² + gy² per pixel, and its integral image in float64 (for the mean and the
 * per-box means). Overlays, in Roboflow's order and arithmetic (float64, truncated): zebra stripes
 * ((x + y) // 8 even) blended half-way to blue where grey < under and to red where grey > over;
 * then green at 0.6 where ⌊measure / max · 255⌋ > 76 (the top 70 %).
 */
function buildTenengradModel(): Uint8Array {
  const { nodes, op } = graphNodes();
  const gray = op('Unsqueeze', [op('Cast', ['gray'], 'gray_f', { to: onnxTypes.float }), 'axes01'], 'gray4');
  const padded = op('Pad', [gray, 'pads'], 'padded', { mode: 'reflect' });
  const gradients = op('Conv', [padded, 'sobel'], 'gradients');
  const measure = op('Squeeze', [op('ReduceSum', [op('Mul', [gradients, gradients], 'squares'), 'axis1'], 'measure4', { keepdims: 1 }), 'axes01'], 'measure');
  const measure64 = op('Cast', [measure], 'measure64', { to: onnxTypes.double });
  op('CumSum', [op('CumSum', [measure64, 'axis0'], 'rows_sum'), 'axis1'], 'integral');

  const grayD = op('Cast', ['gray'], 'gray_d', { to: onnxTypes.double });
  const rows = op('Unsqueeze', [op('Range', ['zero_i', op('Gather', [op('Shape', ['gray'], 'shape'), 'zero_s'], 'height', { axis: 0 }), 'one_s'], 'ys'), 'axis1'], 'ys1');
  const columns = op('Range', ['zero_i', op('Gather', ['shape', 'one_s'], 'width', { axis: 0 }), 'one_s'], 'xs');
  const stripe = op('Equal', [op('Mod', [op('Div', [op('Add', [rows, columns], 'x_plus_y'), 'eight'], 'stripe_index'), 'two'], 'stripe_parity'), 'zero_s'], 'stripe');
  const under = op('Unsqueeze', [op('And', [op('Less', [grayD, 'under'], 'dark'), stripe], 'under_mask'), 'axis2'], 'under3');
  const over = op('Unsqueeze', [op('And', [op('Greater', [grayD, 'over'], 'bright'), stripe], 'over_mask'), 'axis2'], 'over3');
  const blend = (input: string, mask: string, colour: string, keep: string, name: string) =>
    op('Where', [mask, op('Floor', [op('Add', [op('Mul', [input, keep], `${name}_kept`), colour], `${name}_mixed`)], `${name}_floor`), input], name);
  const image = op('Cast', ['image'], 'image_d', { to: onnxTypes.double });
  const zebraUnder = op('Where', ['show_zebra', blend(image, under, 'blue_half', 'half', 'blue'), image], 'zebra_under');
  const zebra = op('Where', ['show_zebra', blend(zebraUnder, over, 'red_half', 'half', 'red'), zebraUnder], 'zebra');
  const most = op('ReduceMax', [measure64], 'most', { keepdims: 1 });
  const level = op('Floor', [op('Mul', [op('Div', [measure64, op('Max', [most, 'tiny'], 'most_safe')], 'ratio'), 'full'], 'scaled')], 'level');
  const sharp = op('Unsqueeze', [op('And', [op('Greater', [level, 'peak_level'], 'peak_raw'), 'show_peaking'], 'peak'), 'axis2'], 'peak3');
  op('Cast', [blend(zebra, sharp, 'green_part', 'peak_keep', 'peaked')], 'overlaid', { to: onnxTypes.uint8 });

  const i64 = (name: string, values: number[], dims = [values.length]) => ({ name, dims, data: new BigInt64Array(values.map(BigInt)) });
  const f64 = (name: string, values: number[], dims: number[] = []) => ({ name, dims, data: new Float64Array(values), type: 'float64' as const });
  return buildModel({
    name: 'tenengrad_focus',
    inputs: [
      { name: 'gray', type: 'uint8', shape: ['height', 'width'] },
      { name: 'image', type: 'uint8', shape: ['height', 'width', 3] },
      { name: 'under', type: 'float64', shape: [] },
      { name: 'over', type: 'float64', shape: [] },
      { name: 'show_zebra', type: 'bool', shape: [] },
      { name: 'show_peaking', type: 'bool', shape: [] },
    ],
    outputs: [
      { name: 'measure', type: 'float32', shape: ['height', 'width'] },
      { name: 'integral', type: 'float64', shape: ['height', 'width'] },
      { name: 'overlaid', type: 'uint8', shape: ['height', 'width', 3] },
    ],
    nodes,
    initializers: [
      i64('axes01', [0, 1]),
      i64('axis0', [0]),
      i64('axis1', [1]),
      i64('axis2', [2]),
      i64('pads', [0, 0, 1, 1, 0, 0, 1, 1]),
      i64('zero_i', [0], []),
      i64('zero_s', [0], []),
      i64('one_s', [1], []),
      i64('eight', [8], []),
      i64('two', [2], []),
      { name: 'sobel', dims: [2, 1, 3, 3], data: new Float32Array([-1, 0, 1, -2, 0, 2, -1, 0, 1, -1, -2, -1, 0, 0, 0, 1, 2, 1]) },
      f64('half', [0.5]),
      f64('blue_half', [0, 0, 127.5], [3]),
      f64('red_half', [127.5, 0, 0], [3]),
      f64('peak_keep', [1 - 0.6]),
      f64('green_part', [0, 255 * 0.6, 0], [3]),
      f64('tiny', [Number.MIN_VALUE]),
      f64('full', [255]),
      f64('peak_level', [Math.trunc((30 * 255) / 100)]),
    ],
    opset: 17,
  });
}

export interface TenengradOptions {
  underexposedThreshold: number;
  overexposedThreshold: number;
  showZebraWarnings: boolean;
  showFocusPeaking: boolean;
  gridDivisions: number;
  showCenterMarker: boolean;
}

/** Fills the pixels of rectangle [x0, x1) × [y0, y1), clipped, with `colour`. */
function fill(data: Uint8Array, width: number, height: number, x0: number, y0: number, x1: number, y1: number, colour: number[]) {
  for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) data.set(colour, (y * width + x) * 3);
}

/**
 * Roboflow's camera_focus@v2: the mean Tenengrad measure, the mean inside each box (boxes clipped to
 * the image, truncated to integers; null when empty) and the image with the overlays asked for: zebra
 * warnings, focus peaking (in the graph), the grid (1-pixel grey lines at width · i // n) and the
 * centre cross (white, ±20 · scale, drawn as bars of OpenCV's thickness without its round caps).
 * Roboflow's HUD (focus text and histograms) is not drawn. With no overlay the image is returned as is.
 */
export async function tenengradFocus(image: VadImage, boxes: [number, number, number, number][], options: TenengradOptions) {
  const { data, width, height } = await image.pixels();
  const gray = await bandOf(await pipelineOf(await grayBytes(data, width, height), width, height));
  if (width < 2 || height < 2) throw new Error(`camera focus needs an image of at least 2 × 2 pixels, got ${width} × ${height}`);
  const session = await graphSession('tenengrad focus', buildTenengradModel);
  const scalar = (value: number) => ({ data: new Float64Array([value]), dims: [] });
  const flag = (value: boolean) => ({ data: new Uint8Array([value ? 1 : 0]), dims: [], type: 'bool' as const });
  const outputs = await session.run({
    gray: { data: gray, dims: [height, width] },
    image: { data, dims: [height, width, 3] },
    under: scalar(options.underexposedThreshold),
    over: scalar(options.overexposedThreshold),
    show_zebra: flag(options.showZebraWarnings),
    show_peaking: flag(options.showFocusPeaking),
  });
  const integral = outputs.integral!.data as Float64Array;
  const at = (x: number, y: number) => (x <= 0 || y <= 0 ? 0 : integral[(y - 1) * width + (x - 1)]!);
  const boxSum = (x1: number, y1: number, x2: number, y2: number) => at(x2, y2) - at(x1, y2) - at(x2, y1) + at(x1, y1);
  const focusMeasure = boxSum(0, 0, width, height) / (width * height);
  const bboxFocusMeasures = boxes.map(([a, b, c, d]) => {
    const x1 = Math.max(0, Math.trunc(a)), y1 = Math.max(0, Math.trunc(b)), x2 = Math.min(width, Math.trunc(c)), y2 = Math.min(height, Math.trunc(d));
    return x2 > x1 && y2 > y1 ? boxSum(x1, y1, x2, y2) / ((x2 - x1) * (y2 - y1)) : null;
  });
  const any = options.showZebraWarnings || options.showFocusPeaking || options.gridDivisions > 0 || options.showCenterMarker;
  if (!any) return { image, focusMeasure, bboxFocusMeasures };
  const picture = new Uint8Array(outputs.overlaid!.data as Uint8Array);
  if (options.showCenterMarker) {
    const scale = Math.max(0.4, Math.min(Math.min(width, height) / 720, 2.5));
    const size = Math.trunc(20 * scale), thickness = Math.max(1, Math.trunc(1.6 * scale));
    const cx = width >> 1, cy = height >> 1, low = Math.floor((thickness - 1) / 2), high = thickness - low;
    fill(picture, width, height, cx - size, cy - low, cx + size + 1, cy + high, [255, 255, 255]);
    fill(picture, width, height, cx - low, cy - size, cx + high, cy + size + 1, [255, 255, 255]);
  }
  for (let i = 1; i < options.gridDivisions; i++) {
    const x = Math.floor((width * i) / options.gridDivisions), y = Math.floor((height * i) / options.gridDivisions);
    fill(picture, width, height, x, 0, x + 1, height, [128, 128, 128]);
    fill(picture, width, height, 0, y, width, y + 1, [128, 128, 128]);
  }
  return { image: imageLike(image, picture), focusMeasure, bboxFocusMeasures };
}
