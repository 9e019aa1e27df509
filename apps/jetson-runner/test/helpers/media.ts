import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';

/** A fresh temporary folder (removed by the caller with `removeFolder`). */
export function temporaryFolder(prefix = 'vad-runner-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeFolder(folder: string) {
  rmSync(folder, { recursive: true, force: true });
}

function ffmpeg(args: string[]) {
  const result = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${result.stderr}`);
}

/**
 * A video with one frame per image, in order, every frame `width × height` (images of any
 * size are stretched). MJPEG at high quality, so each decoded frame is close to its image.
 */
export function makeVideoFromImages(images: readonly string[], output: string, options: { width: number; height: number; fps: number; format?: 'avi' | 'mjpeg' }) {
  const folder = temporaryFolder('vad-runner-sequence-');
  try {
    images.forEach((image, index) => symlinkSync(image, path.join(folder, `${String(index).padStart(5, '0')}.jpg`)));
    ffmpeg([
      '-framerate', String(options.fps), '-reinit_filter', '0', '-i', path.join(folder, '%05d.jpg'),
      '-vf', `scale=${options.width}:${options.height}`, '-pix_fmt', 'yuvj444p', '-c:v', 'mjpeg', '-q:v', '2',
      ...(options.format === 'mjpeg' ? ['-f', 'mjpeg'] : []), output,
    ]);
  } finally {
    removeFolder(folder);
  }
}

/** A synthetic video (ffmpeg's test pattern) of `frames` frames. */
export function makeTestPatternVideo(output: string, options: { width: number; height: number; fps: number; frames: number }) {
  ffmpeg(['-f', 'lavfi', '-i', `testsrc=size=${options.width}x${options.height}:rate=${options.fps}`, '-frames:v', String(options.frames), '-c:v', 'mjpeg', '-q:v', '2', output]);
}

/** Folder of copies (links) of `images` named so they sort in the given order. */
export function linkImageFolder(images: readonly string[], folder: string) {
  mkdirSync(folder, { recursive: true });
  images.forEach((image, index) => symlinkSync(image, path.join(folder, `${String(index).padStart(5, '0')}.jpg`)));
}

/** Raw RGB frames of a video, decoded by ffmpeg directly (the reference the runner must match). */
export function decodeFrames(video: string, width: number, height: number): Uint8Array[] {
  const result = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', video, '-vf', `scale=${width}:${height}:flags=bilinear`, '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1'], { maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`decoding ${video} failed: ${result.stderr.toString()}`);
  const bytes = width * height * 3;
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset + bytes <= result.stdout.length; offset += bytes) frames.push(new Uint8Array(result.stdout.subarray(offset, offset + bytes)));
  return frames;
}

/**
 * ffmpeg serving `video` once over HTTP as multipart JPEG (what IP cameras send), at its
 * own frame rate, to the first client that connects.
 */
export function serveOverHttp(video: string, port: number): ChildProcess {
  return spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re', '-i', video, '-c:v', 'copy', '-f', 'mpjpeg', '-listen', '1', `http://127.0.0.1:${port}/camera.mjpg`], { stdio: ['ignore', 'ignore', 'pipe'] });
}

export function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('close', () => resolve());
  });
}

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Waits until something listens on `port` (Linux: read from /proc/net/tcp), without connecting:
 * ffmpeg's `-listen 1` server would take a probing connection for its one client.
 */
export async function waitForListening(port: number, timeoutMs = 15_000) {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tables = ['/proc/net/tcp', '/proc/net/tcp6'].map((file) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return '';
      }
    });
    // Columns: sl local_address rem_address st …; st 0A is LISTEN.
    if (tables.some((table) => table.split('\n').some((line) => { const columns = line.trim().split(/\s+/); return columns[1]?.endsWith(`:${hexPort}`) && columns[3] === '0A'; }))) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
