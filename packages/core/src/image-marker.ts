/**
 * The mark every `VadImage` carries. It lives apart from image.ts so that the block contract can
 * recognise an image without loading the image class and its decoding; a global symbol, so an
 * image made by another copy of @vad/core counts too.
 */
export const imageMarker = Symbol.for('vad.image');

export function hasImageMarker(value: unknown): boolean {
  return typeof value === 'object' && value !== null && imageMarker in value;
}
