import type { VadImage } from '@vad/core';

/** What the runner knows about one processed frame; every sink receives this. */
export interface FrameResult {
  readonly streamId: string;
  readonly sequence: number;
  readonly connection: number;
  readonly index: number;
  /** When the frame was read from ffmpeg (ms since epoch). */
  readonly capturedAt: number;
  /** When the workflow finished (ms since epoch). */
  readonly processedAt: number;
  /** `processedAt - capturedAt`: waiting in the slot plus the workflow. */
  readonly latencyMs: number;
  readonly workflowMs: number;
  readonly anomalous: boolean;
  /** The workflow's output record for this frame. */
  readonly outputs: Record<string, unknown>;
  readonly warnings: readonly string[];
  /** The frame as decoded. */
  readonly frame: VadImage;
  /** Set when the workflow failed on this frame (then `outputs` is empty and `anomalous` false). */
  readonly error?: string;
}

/** Where results go. `write` must not hold up the frame loop; `close` flushes everything still pending. */
export interface Sink {
  readonly name: string;
  write(result: FrameResult): void;
  close(): Promise<void>;
}
