import { VadImage } from '@vad/core';
import { buildModel, createSessionFromBytes, type ModelSession } from '@vad/models';
import { invert, multiply, type Homography } from './homography.js';

const coefficient = (k: number) => `m${k}`;

/**
 * An RGB image [H, W, 3] (bytes) resampled through a projective map: each output pixel (X, Y)
 * reads the source at `matrix · (X, Y, 1)`, already in GridSample's normalised [-1, 1]
 * coordinates. Bilinear, zeros outside: OpenCV `warpPerspective`'s defaults. All per-pixel work
 * runs in ONNX Runtime; JS only passes the output's column and row coordinates.
 */
export function buildWarpModel(): Uint8Array {
  const nodes: { op: string; inputs: string[]; outputs: string[]; attributes?: Record<string, number | string | number[]> }[] = [
    { op: 'Cast', inputs: ['image'], outputs: ['image_f'], attributes: { to: 1 } }, // 1: float32
    { op: 'Transpose', inputs: ['image_f'], outputs: ['image_chw'], attributes: { perm: [2, 0, 1] } },
    { op: 'Unsqueeze', inputs: ['image_chw', 'axis0'], outputs: ['image_nchw'] },
    { op: 'Unsqueeze', inputs: ['xs', 'axis0'], outputs: ['X'] }, // [1, Wo]
    { op: 'Unsqueeze', inputs: ['ys', 'axis1'], outputs: ['Y'] }, // [Ho, 1]
  ];
  for (let k = 0; k < 9; k++) nodes.push({ op: 'Gather', inputs: ['matrix', `index${k}`], outputs: [coefficient(k)] });
  // Row r of the matrix times (X, Y, 1): [Ho, Wo] by broadcasting.
  for (const [row, name] of [[0, 'nx'], [1, 'ny'], [2, 'nw']] as const) {
    nodes.push(
      { op: 'Mul', inputs: ['X', coefficient(row * 3)], outputs: [`${name}_x`] },
      { op: 'Mul', inputs: ['Y', coefficient(row * 3 + 1)], outputs: [`${name}_y`] },
      { op: 'Add', inputs: [`${name}_x`, `${name}_y`], outputs: [`${name}_xy`] },
      { op: 'Add', inputs: [`${name}_xy`, coefficient(row * 3 + 2)], outputs: [name] },
    );
  }
  nodes.push(
    { op: 'Div', inputs: ['nx', 'nw'], outputs: ['gx'] },
    { op: 'Div', inputs: ['ny', 'nw'], outputs: ['gy'] },
    { op: 'Unsqueeze', inputs: ['gx', 'axis2'], outputs: ['gx3'] },
    { op: 'Unsqueeze', inputs: ['gy', 'axis2'], outputs: ['gy3'] },
    { op: 'Concat', inputs: ['gx3', 'gy3'], outputs: ['grid3'], attributes: { axis: 2 } },
    { op: 'Unsqueeze', inputs: ['grid3', 'axis0'], outputs: ['grid'] },
    { op: 'GridSample', inputs: ['image_nchw', 'grid'], outputs: ['sampled'], attributes: { mode: 'bilinear', padding_mode: 'zeros', align_corners: 1 } },
    { op: 'Squeeze', inputs: ['sampled', 'axis0'], outputs: ['sampled_chw'] },
    { op: 'Transpose', inputs: ['sampled_chw'], outputs: ['sampled_hwc'], attributes: { perm: [1, 2, 0] } },
    { op: 'Round', inputs: ['sampled_hwc'], outputs: ['rounded'] },
    { op: 'Clip', inputs: ['rounded', 'zero', 'full_scale'], outputs: ['clipped'] },
    { op: 'Cast', inputs: ['clipped'], outputs: ['warped'], attributes: { to: 2 } }, // 2: uint8
  );
  const axis = (name: string, value: number) => ({ name, dims: [1], data: new BigInt64Array([BigInt(value)]) });
  return buildModel({
    name: 'warp_perspective',
    inputs: [
      { name: 'image', type: 'uint8', shape: ['height', 'width', 3] },
      { name: 'matrix', type: 'float32', shape: [9] },
      { name: 'xs', type: 'float32', shape: ['out_width'] },
      { name: 'ys', type: 'float32', shape: ['out_height'] },
    ],
    outputs: [{ name: 'warped', type: 'uint8', shape: ['out_height', 'out_width', 3] }],
    nodes,
    initializers: [
      axis('axis0', 0),
      axis('axis1', 1),
      axis('axis2', 2),
      ...Array.from({ length: 9 }, (_, k) => ({ name: `index${k}`, dims: [], data: new BigInt64Array([BigInt(k)]) })),
      { name: 'zero', dims: [], data: new Float32Array([0]) },
      { name: 'full_scale', dims: [], data: new Float32Array([255]) },
    ],
    opset: 17,
  });
}

let session: Promise<ModelSession> | undefined;

/**
 * `image` warped by `transform` (source pixel → output pixel, as OpenCV's `warpPerspective`
 * takes it) into an output of `width` × `height`.
 */
export async function warpPerspective(image: VadImage, transform: Homography, width: number, height: number): Promise<VadImage> {
  session ??= createSessionFromBytes(buildWarpModel(), { name: 'perspective warp graph' });
  const { data } = await image.pixels();
  // Source pixel (x, y) → GridSample's [-1, 1] with align_corners: pixel centres at the ends.
  const normalise = [2 / Math.max(1, image.width - 1), 0, -1, 0, 2 / Math.max(1, image.height - 1), -1, 0, 0, 1];
  const matrix = Float32Array.from(multiply(normalise, invert(transform)));
  const { warped } = await (await session).run({
    image: { data, dims: [image.height, image.width, 3] },
    matrix: { data: matrix, dims: [9] },
    xs: { data: Float32Array.from({ length: width }, (_, i) => i), dims: [width] },
    ys: { data: Float32Array.from({ length: height }, (_, i) => i), dims: [height] },
  });
  return VadImage.fromPixels({ data: warped!.data as Uint8Array, width, height });
}
