import { buildModel, type NodeSpec } from '@vad/models';

/** Order of the `camera` input: the output's camera, the lens's camera, then OpenCV's five coefficients. */
export const undistortParameters = ['new_fx', 'new_fy', 'new_cx', 'new_cy', 'fx', 'fy', 'cx', 'cy', 'k1', 'k2', 'p1', 'p2', 'k3'] as const;

/**
 * OpenCV's `undistort(src, K, D, newK)` for an RGB image [H, W, 3] (bytes) as an ONNX graph: the map
 * of `initUndistortRectifyMap` (no rectification) and a bilinear `remap` with a black border.
 * Each output pixel (u, v) is taken back to the normalised ray x = (u − new_cx) / new_fx,
 * y = (v − new_cy) / new_fy, pushed through the lens model (radial 1 + k1 r² + k2 r⁴ + k3 r⁶,
 * tangential p1, p2) and read from the source at (fx · x_d + cx, fy · y_d + cy) with GridSample.
 * JS passes only the column and row numbers and the 13 camera numbers.
 */
export function buildUndistortModel(): Uint8Array {
  const nodes: NodeSpec[] = [];
  const op = (type: string, inputs: string[], output: string, attributes?: NodeSpec['attributes']) => {
    nodes.push({ op: type, inputs, outputs: [output], ...(attributes && { attributes }) });
    return output;
  };
  const parameter = Object.fromEntries(
    undistortParameters.map((name, index) => {
      nodes.push({ op: 'Gather', inputs: ['camera', `index${index}`], outputs: [name] });
      return [name, name];
    }),
  ) as Record<(typeof undistortParameters)[number], string>;
  const x = op('Div', [op('Sub', [op('Unsqueeze', ['xs', 'axis0'], 'column'), parameter.new_cx], 'column_offset'), parameter.new_fx], 'x'); // [1, W]
  const y = op('Div', [op('Sub', [op('Unsqueeze', ['ys', 'axis1'], 'row'), parameter.new_cy], 'row_offset'), parameter.new_fy], 'y'); // [H, 1]
  const x2 = op('Mul', [x, x], 'x2');
  const y2 = op('Mul', [y, y], 'y2');
  const xy = op('Mul', [x, y], 'xy'); // [H, W]
  const r2 = op('Add', [x2, y2], 'r2');
  // 1 + r²(k1 + r²(k2 + r² k3)), Horner's form.
  const radial = op('Add', ['one', op('Mul', [r2, op('Add', [parameter.k1, op('Mul', [r2, op('Add', [parameter.k2, op('Mul', [r2, parameter.k3], 'r2_k3')], 'k2_r2_k3')], 'r2_inner')], 'k1_inner')], 'radial_terms')], 'radial');
  const twoXY = op('Mul', ['two', xy], 'two_xy');
  const xd = op('Add', [op('Add', [op('Mul', [x, radial], 'x_radial'), op('Mul', [parameter.p1, twoXY], 'p1_2xy')], 'xd_partial'), op('Mul', [parameter.p2, op('Add', [r2, op('Mul', ['two', x2], 'two_x2')], 'r2_2x2')], 'p2_term')], 'xd');
  const yd = op('Add', [op('Add', [op('Mul', [y, radial], 'y_radial'), op('Mul', [parameter.p1, op('Add', [r2, op('Mul', ['two', y2], 'two_y2')], 'r2_2y2')], 'p1_term')], 'yd_partial'), op('Mul', [parameter.p2, twoXY], 'p2_2xy')], 'yd');
  const u = op('Add', [op('Mul', [parameter.fx, xd], 'u_scaled'), parameter.cx], 'u');
  const v = op('Add', [op('Mul', [parameter.fy, yd], 'v_scaled'), parameter.cy], 'v');

  // Source pixel → GridSample's [-1, 1] with align_corners (pixel centres at the ends).
  const size = op('Cast', [op('Shape', ['image'], 'image_shape')], 'image_size', { to: 1 }); // [H, W, 3]
  const last = (index: string, name: string) => op('Sub', [op('Gather', [size, index], `${name}_size`), 'one'], `${name}_last`);
  const normalise = (value: string, extent: string, name: string) =>
    op('Sub', [op('Div', [op('Mul', [value, 'two'], `${name}_doubled`), op('Max', [extent, 'one'], `${name}_extent`)], `${name}_unit`), 'one'], name);
  const gx = normalise(u, last('index1', 'width'), 'gx');
  const gy = normalise(v, last('index0', 'height'), 'gy');
  const grid = op('Unsqueeze', [op('Concat', [op('Unsqueeze', [gx, 'axis2'], 'gx3'), op('Unsqueeze', [gy, 'axis2'], 'gy3')], 'grid3', { axis: 2 }), 'axis0'], 'grid');
  const source = op('Unsqueeze', [op('Transpose', [op('Cast', ['image'], 'image_f', { to: 1 })], 'image_chw', { perm: [2, 0, 1] }), 'axis0'], 'image_nchw');
  const sampled = op('GridSample', [source, grid], 'sampled', { mode: 'bilinear', padding_mode: 'zeros', align_corners: 1 });
  const hwc = op('Transpose', [op('Squeeze', [sampled, 'axis0'], 'sampled_chw')], 'sampled_hwc', { perm: [1, 2, 0] });
  op('Cast', [op('Clip', [op('Round', [hwc], 'rounded'), 'zero', 'full_scale'], 'clipped')], 'undistorted', { to: 2 });

  const axis = (name: string, value: number) => ({ name, dims: [1], data: new BigInt64Array([BigInt(value)]) });
  const scalar = (name: string, value: number) => ({ name, dims: [], data: new Float32Array([value]) });
  return buildModel({
    name: 'undistort',
    inputs: [
      { name: 'image', type: 'uint8', shape: ['height', 'width', 3] },
      { name: 'camera', type: 'float32', shape: [undistortParameters.length] },
      { name: 'xs', type: 'float32', shape: ['width'] },
      { name: 'ys', type: 'float32', shape: ['height'] },
    ],
    outputs: [{ name: 'undistorted', type: 'uint8', shape: ['height', 'width', 3] }],
    nodes,
    initializers: [
      axis('axis0', 0),
      axis('axis1', 1),
      axis('axis2', 2),
      ...undistortParameters.map((_, index) => ({ name: `index${index}`, dims: [], data: new BigInt64Array([BigInt(index)]) })),
      scalar('zero', 0),
      scalar('one', 1),
      scalar('two', 2),
      scalar('full_scale', 255),
    ],
    opset: 17,
  });
}
