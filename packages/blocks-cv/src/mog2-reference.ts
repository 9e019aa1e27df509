import { mog2Constants } from './mog2-graph.js';

/**
 * MOG2 written out pixel by pixel as Zivkovic's update loop runs (modes visited heaviest first, the
 * fitted one bubbled up, float32 rounding at every step): the independent computation the ONNX
 * graph is tested against. Test support only; slow by design.
 */
export function createReferenceMog2(history: number, varThreshold: number) {
  const K = mog2Constants.modes;
  const f = Math.fround;
  const TB = f(mog2Constants.backgroundRatio), Tg = f(mog2Constants.varThresholdGen), tau = f(mog2Constants.shadowTau);
  let frames = 0;
  let pixels: { count: number; weight: number[]; variance: number[]; mean: number[][] }[] = [];
  return (data: Uint8Array, width: number, height: number): Uint8Array => {
    if (pixels.length !== width * height) {
      pixels = Array.from({ length: width * height }, () => ({ count: 0, weight: [], variance: [], mean: [] }));
      frames = 0;
    }
    frames++;
    const rate = 1 / Math.min(2 * frames, history);
    const alphaT = f(rate), alpha1 = f(1 - alphaT), prune = f(-rate * mog2Constants.complexityReduction), Tb = f(varThreshold);
    const mask = new Uint8Array(width * height);
    pixels.forEach((pixel, p) => {
      const x = [data[p * 3]!, data[p * 3 + 1]!, data[p * 3 + 2]!];
      const { weight, variance, mean } = pixel;
      let background = false, fits = false, total = 0, modes = pixel.count;
      for (let m = 0; m < modes; m++) {
        let w = f(f(alpha1 * weight[m]!) + prune);
        let swaps = 0;
        if (!fits) {
          const v = variance[m]!;
          const d = mean[m]!.map((mu, c) => f(mu - x[c]!));
          const dist2 = f(f(f(d[0]! * d[0]!) + f(d[1]! * d[1]!)) + f(d[2]! * d[2]!));
          if (total < TB && dist2 < f(Tb * v)) background = true;
          if (dist2 < f(Tg * v)) {
            fits = true;
            w = f(w + alphaT);
            const k = f(alphaT / w);
            mean[m] = mean[m]!.map((mu, c) => f(mu - f(k * d[c]!)));
            variance[m] = Math.min(mog2Constants.varMax, Math.max(mog2Constants.varMin, f(v + f(k * f(dist2 - v)))));
            for (let i = m; i > 0; i--) {
              if (w < weight[i - 1]!) break;
              swaps++;
              [weight[i], weight[i - 1]] = [weight[i - 1]!, weight[i]!];
              [variance[i], variance[i - 1]] = [variance[i - 1]!, variance[i]!];
              [mean[i], mean[i - 1]] = [mean[i - 1]!, mean[i]!];
            }
          }
        }
        if (w < -prune) {
          w = 0;
          modes--;
        }
        weight[m - swaps] = w;
        total = f(total + w);
      }
      const inverse = Math.abs(total) > 1.1920928955078125e-7 ? f(1 / total) : 0;
      for (let m = 0; m < modes; m++) weight[m] = f(weight[m]! * inverse);
      if (!fits) {
        const m = modes === K ? K - 1 : modes++;
        if (modes === 1) weight[m] = 1;
        else {
          weight[m] = alphaT;
          for (let i = 0; i < modes - 1; i++) weight[i] = f(weight[i]! * alpha1);
        }
        mean[m] = [...x];
        variance[m] = mog2Constants.varInit;
        for (let i = modes - 1; i > 0; i--) {
          if (alphaT < weight[i - 1]!) break;
          [weight[i], weight[i - 1]] = [weight[i - 1]!, weight[i]!];
          [variance[i], variance[i - 1]] = [variance[i - 1]!, variance[i]!];
          [mean[i], mean[i - 1]] = [mean[i - 1]!, mean[i]!];
        }
      }
      pixel.count = modes;
      mask[p] = background ? 0 : shadow(x, pixel, modes) ? mog2Constants.shadowValue : 255;
    });
    return mask;

    function shadow(x: number[], { weight, variance, mean }: (typeof pixels)[number], modes: number): boolean {
      let tWeight = 0;
      for (let m = 0; m < modes; m++) {
        const mu = mean[m]!;
        const numerator = f(f(f(x[0]! * mu[0]!) + f(x[1]! * mu[1]!)) + f(x[2]! * mu[2]!));
        const denominator = f(f(f(mu[0]! * mu[0]!) + f(mu[1]! * mu[1]!)) + f(mu[2]! * mu[2]!));
        if (denominator === 0) return false;
        if (numerator <= denominator && numerator >= f(tau * denominator)) {
          const a = f(numerator / denominator);
          const e = mu.map((value, c) => f(f(a * value) - x[c]!));
          const dist2a = f(f(f(e[0]! * e[0]!) + f(e[1]! * e[1]!)) + f(e[2]! * e[2]!));
          if (dist2a < f(f(f(Tb * variance[m]!) * a) * a)) return true;
        }
        tWeight = f(tWeight + weight[m]!);
        if (tWeight > TB) return false;
      }
      return false;
    }
  };
}
