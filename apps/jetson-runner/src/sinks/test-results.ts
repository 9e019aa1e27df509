import { VadImage } from '@vad/core';
import type { FrameResult } from '../frame-result.js';

/** A processed-frame result for sink tests: a flat grey 16×12 frame. */
export function frameResult(sequence: number, options: { anomalous?: boolean; streamId?: string; capturedAt?: number; level?: number } = {}): FrameResult {
  const level = options.level ?? (options.anomalous ? 220 : 40);
  const frame = VadImage.fromPixels({ data: new Uint8Array(16 * 12 * 3).fill(level), width: 16, height: 12 });
  const capturedAt = options.capturedAt ?? Date.now();
  return {
    streamId: options.streamId ?? 'cam',
    sequence,
    connection: 1,
    index: sequence,
    capturedAt,
    processedAt: capturedAt + 5,
    latencyMs: 5,
    workflowMs: 4,
    anomalous: options.anomalous ?? false,
    outputs: { score: options.anomalous ? 0.9 : 0.1, embedding: new Float32Array([1, 2]) },
    warnings: [],
    frame,
  };
}
