/** One image scored by a detector (PatchCore or PaDiM). Normalised scores put the threshold at 0.5. */
export interface AnomalyPrediction {
  /** The detector's own units (distance). */
  readonly rawScore: number;
  /** Normalised image score: 0.5 is the threshold. */
  readonly score: number;
  readonly isAnomalous: boolean;
  /** Normalised per-pixel map at the image's own size, row-major. */
  readonly map: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** What evaluation, blocks and the CLI need from a fitted detector. */
export interface AnomalyDetector {
  readonly kind: 'patchcore' | 'padim';
  /** Normalised threshold (0.5 unless overridden). */
  readonly threshold: number;
  /** Scores one image: a file path, or RGB pixels at any size. */
  predict(image: string | { data: Uint8Array; width: number; height: number }, options?: PredictOptions): Promise<AnomalyPrediction>;
  dispose(): Promise<void>;
}

export interface PredictOptions {
  /** Render the map smaller than the image: its longer side at most this many pixels (aspect kept). */
  mapMaxSide?: number;
}

/** The map size for an image of `width × height` under `mapMaxSide`. */
export function mapSizeFor(width: number, height: number, mapMaxSide?: number): { width: number; height: number } {
  if (!mapMaxSide || Math.max(width, height) <= mapMaxSide) return { width, height };
  const scale = mapMaxSide / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
