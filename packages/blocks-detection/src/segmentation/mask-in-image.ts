import { loadSharp } from '@vad/core';
import type { DetectorInput } from '../detector-input.js';

export interface BoxMask {
  /** 0 or 255 per pixel, `width × height`, row-major. */
  data: Uint8Array;
  /** Where the mask's top-left pixel lies in the image. */
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * One detection's prototype-resolution mask (bytes, 128 = probability 0.5) in image pixels, cut
 * to its box and thresholded. sharp scales the whole network input (letterbox bars included) so
 * that it matches the image's scale, then keeps only the box: the bars fall outside, so the
 * letterbox is undone by the crop's offset. libvips computes only the pixels of the crop.
 */
export async function maskInImage(
  mask: Uint8Array,
  prototypeSize: { width: number; height: number },
  input: Pick<DetectorInput, 'transform' | 'imageWidth' | 'imageHeight'>,
  inputSize: { width: number; height: number },
  corners: ArrayLike<number>,
): Promise<BoxMask | undefined> {
  const { scaleX, scaleY, offsetX, offsetY } = input.transform;
  const left = Math.max(0, Math.floor(corners[0]!)), top = Math.max(0, Math.floor(corners[1]!));
  const right = Math.min(input.imageWidth, Math.ceil(corners[2]!)), bottom = Math.min(input.imageHeight, Math.ceil(corners[3]!));
  if (right <= left || bottom <= top) return undefined;
  const padLeft = Math.round(offsetX / scaleX), padTop = Math.round(offsetY / scaleY);
  // The input canvas at image scale, at least big enough to hold the image behind its bars.
  const canvasWidth = Math.max(Math.round(inputSize.width / scaleX), padLeft + input.imageWidth);
  const canvasHeight = Math.max(Math.round(inputSize.height / scaleY), padTop + input.imageHeight);
  const sharp = await loadSharp();
  const data = await sharp(mask, { raw: { width: prototypeSize.width, height: prototypeSize.height, channels: 1 } })
    .resize(canvasWidth, canvasHeight, { fit: 'fill', kernel: 'linear' })
    .extract({ left: padLeft + left, top: padTop + top, width: right - left, height: bottom - top })
    .threshold(128)
    .extractChannel(0) // sharp hands a one-band image back as three bands otherwise
    .raw()
    .toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), left, top, width: right - left, height: bottom - top };
}
