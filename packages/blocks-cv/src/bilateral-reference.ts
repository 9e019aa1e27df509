/** Index maps for OpenCV's default border (BORDER_REFLECT_101: …dcb|abcd|cba…). */
function reflect101(length: number, radius: number): Int32Array {
  const map = new Int32Array(length + 2 * radius);
  for (let i = 0; i < map.length; i++) {
    let p = i - radius;
    if (length === 1) p = 0;
    else {
      while (p < 0 || p >= length) p = p < 0 ? -p : 2 * (length - 1) - p;
    }
    map[i] = p;
  }
  return map;
}

/** True when every pixel of interleaved RGB `data` has three equal bands. */
function isGray(data: Uint8Array): boolean {
  for (let i = 0; i < data.length; i += 3) if (data[i] !== data[i + 1] || data[i] !== data[i + 2]) return false;
  return true;
}

/**
 * OpenCV's `bilateralFilter(src, d, sigmaColor, sigmaSpace)` for 8-bit images: taps within a disc of
 * radius d / 2, a spatial weight exp(−r² / 2σs²) and a colour weight exp(−c² / 2σc²) where c is the
 * sum of the absolute band differences, over a reflected border. A grey image (three equal bands)
 * is filtered as one band, as OpenCV filters Roboflow’s single-channel grey. Kept as the reference
 * that bilateral.ts (an ONNX graph) is tested against, and for images too small to reflect.
 */
export function bilateralReference(data: Uint8Array, width: number, height: number, d: number, sigmaColor: number, sigmaSpace: number): Uint8Array {
  const gray = isGray(data);
  const bands = gray ? 1 : 3;
  const radius = Math.max(1, Math.floor(d / 2));
  const colorWeight = new Float64Array(255 * bands + 1);
  for (let c = 0; c < colorWeight.length; c++) colorWeight[c] = Math.exp((-0.5 * c * c) / (sigmaColor * sigmaColor));
  const offsetsX: number[] = [], offsetsY: number[] = [], spaceWeight: number[] = [];
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const r = Math.sqrt(dx * dx + dy * dy);
      if (r > radius) continue;
      offsetsX.push(dx);
      offsetsY.push(dy);
      spaceWeight.push(Math.exp((-0.5 * r * r) / (sigmaSpace * sigmaSpace)));
    }
  }
  const mapX = reflect101(width, radius), mapY = reflect101(height, radius);
  const out = new Uint8Array(data.length);
  const taps = spaceWeight.length;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const centre = (y * width + x) * 3;
      const r0 = data[centre]!, g0 = data[centre + 1]!, b0 = data[centre + 2]!;
      let sumR = 0, sumG = 0, sumB = 0, sumW = 0;
      for (let t = 0; t < taps; t++) {
        const at = (mapY[y + radius + offsetsY[t]!]! * width + mapX[x + radius + offsetsX[t]!]!) * 3;
        const r = data[at]!, g = data[at + 1]!, b = data[at + 2]!;
        const difference = gray ? Math.abs(r - r0) : Math.abs(r - r0) + Math.abs(g - g0) + Math.abs(b - b0);
        const w = spaceWeight[t]! * colorWeight[difference]!;
        sumR += r * w;
        sumG += g * w;
        sumB += b * w;
        sumW += w;
      }
      out[centre] = Math.round(sumR / sumW);
      out[centre + 1] = Math.round(sumG / sumW);
      out[centre + 2] = Math.round(sumB / sumW);
    }
  }
  return out;
}
