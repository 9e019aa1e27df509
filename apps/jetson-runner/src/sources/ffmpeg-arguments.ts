import type { SourceSpec } from './source-spec.js';

export interface DecodeOptions {
  width: number;
  height: number;
  /** Frames per second to emit; undefined keeps the source's rate. */
  fps?: number;
  /** Seconds without I/O after which ffmpeg gives up on a network source. */
  networkTimeoutSeconds?: number;
  /** Seconds of a network stream ffmpeg reads to find its codec before the first frame (default 1). */
  probeSeconds?: number;
}

/**
 * The ffmpeg command line that decodes `source` to raw RGB frames of exactly
 * `width × height × 3` bytes on stdout.
 */
export function ffmpegArguments(source: SourceSpec, options: DecodeOptions): string[] {
  const timeoutMicroseconds = String(Math.round((options.networkTimeoutSeconds ?? 10) * 1e6));
  const input: string[] = [];
  // ffmpeg probes up to 5 s of a stream before its first frame; a camera's codec is known far sooner.
  // (Not `-fflags nobuffer`: it throws away the packets read while probing, i.e. the first frames.)
  const shortProbe = ['-probesize', '500000', '-analyzeduration', String(Math.round((options.probeSeconds ?? 1) * 1e6))];
  switch (source.type) {
    case 'file':
      if (source.realtime) input.push('-re');
      if (source.loop) input.push('-stream_loop', '-1');
      input.push('-i', source.path);
      break;
    case 'rtsp':
      input.push(...shortProbe, '-rtsp_transport', source.transport ?? 'tcp', '-timeout', timeoutMicroseconds, '-flags', 'low_delay', '-i', source.url);
      break;
    case 'http':
      input.push(...shortProbe, '-rw_timeout', timeoutMicroseconds, '-flags', 'low_delay', '-i', source.url);
      break;
    case 'v4l2':
      input.push('-f', 'v4l2');
      if (source.inputFormat) input.push('-input_format', source.inputFormat);
      if (source.size) input.push('-video_size', source.size);
      if (source.fps) input.push('-framerate', String(source.fps));
      input.push('-i', source.device);
      break;
    case 'images':
      // Images of different sizes: keep one filter graph (a re-initialised graph loses frames in fps/scale).
      if (source.loop) input.push('-stream_loop', '-1');
      input.push('-framerate', String(source.fps ?? 1), '-reinit_filter', '0', '-pattern_type', 'glob', '-i', `${escapeGlobDirectory(source.dir)}/${source.pattern ?? '*.jpg'}`);
      break;
  }
  const filters = [`scale=${options.width}:${options.height}:flags=bilinear`];
  if (options.fps && source.type !== 'images') filters.push(`fps=${options.fps}`);
  return ['-hide_banner', '-nostdin', '-loglevel', 'error', ...input, '-an', '-sn', '-dn', '-vf', filters.join(','), '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1'];
}

function escapeGlobDirectory(dir: string): string {
  return dir.replace(/[*?[\]{}\\]/g, (character) => `\\${character}`);
}
