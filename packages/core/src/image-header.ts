/**
 * Width and height from a PNG or baseline/progressive JPEG header, read in JavaScript: no trip to
 * sharp's worker pool for the common case. Returns undefined when the format is another one, or
 * when a JPEG carries EXIF (its orientation may swap the sides), so the caller asks sharp instead.
 */
export function readImageSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length >= 24 && encodedFormat(bytes) === 'png' && bytes[12] === 0x49 && bytes[13] === 0x48) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return positive(view.getUint32(16), view.getUint32(20));
  }
  if (bytes.length < 4 || encodedFormat(bytes) !== 'jpeg') return undefined;
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    if (marker === 0xe1) return undefined; // APP1 (EXIF): orientation may swap width and height
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return positive((bytes[offset + 7]! << 8) | bytes[offset + 8]!, (bytes[offset + 5]! << 8) | bytes[offset + 6]!);
    if (length < 2) return undefined;
    offset += 2 + length;
  }
  return undefined;
}

function positive(width: number, height: number) {
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** `png` or `jpeg` from the file signature, else undefined. */
export function encodedFormat(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  return undefined;
}
