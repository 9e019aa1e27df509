import { buildModel, createSessionFromBytes, type SessionOptions } from '@vad/models';

/**
 * coefficients [detections, M] × prototypes [M, pixels] → sigmoid, as bytes: round(255·p). Bytes are
 * what sharp resizes; the 0.5 threshold becomes 128, off by at most 1/255.
 */
export function buildMaskDecoderModel(): Uint8Array {
  return buildModel({
    name: 'instance_masks',
    inputs: [
      { name: 'coefficients', type: 'float32', shape: ['detections', 'channels'] },
      { name: 'prototypes', type: 'float32', shape: ['channels', 'pixels'] },
    ],
    outputs: [{ name: 'masks', type: 'uint8', shape: ['detections', 'pixels'] }],
    nodes: [
      { op: 'MatMul', inputs: ['coefficients', 'prototypes'], outputs: ['logits'] },
      { op: 'Sigmoid', inputs: ['logits'], outputs: ['probabilities'] },
      { op: 'Mul', inputs: ['probabilities', 'full_scale'], outputs: ['scaled'] },
      { op: 'Round', inputs: ['scaled'], outputs: ['rounded'] },
      { op: 'Cast', inputs: ['rounded'], outputs: ['masks'], attributes: { to: 2 } }, // 2: uint8
    ],
    initializers: [{ name: 'full_scale', dims: [], data: new Float32Array([255]) }],
    opset: 17,
  });
}

export interface MaskDecoder {
  /** One byte mask per detection, each `pixels` long, back to back. */
  decode(coefficients: Float32Array, detections: number, prototypes: { data: Float32Array; channels: number; pixels: number }): Promise<Uint8Array>;
  dispose(): Promise<void>;
}

/** Runs the mask graph for all of an image's detections at once. */
export async function createMaskDecoder(options: SessionOptions = {}): Promise<MaskDecoder> {
  const session = await createSessionFromBytes(buildMaskDecoderModel(), { name: 'instance mask graph', ...options });
  return {
    async decode(coefficients, detections, prototypes) {
      const { masks } = await session.run({
        coefficients: { data: coefficients, dims: [detections, prototypes.channels] },
        prototypes: { data: prototypes.data, dims: [prototypes.channels, prototypes.pixels] },
      });
      return masks!.data as Uint8Array;
    },
    dispose: () => session.dispose(),
  };
}
