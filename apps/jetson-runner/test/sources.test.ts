import { createServer } from 'node:net';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sharedPath } from '@vad/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFfmpegSource, SourceError } from '../src/index.js';
import type { Frame, FfmpegSourceOptions } from '../src/index.js';
import { decodeFrames, freePort, makeTestPatternVideo, removeFolder, temporaryFolder } from './helpers/media.js';

async function collect(options: FfmpegSourceOptions, limit = Infinity): Promise<Frame[]> {
  const source = createFfmpegSource(options);
  const controller = new AbortController();
  const frames: Frame[] = [];
  for await (const frame of source.frames(controller.signal)) {
    frames.push(frame);
    if (frames.length >= limit) break;
  }
  return frames;
}

async function openError(options: FfmpegSourceOptions): Promise<Error> {
  try {
    await collect(options, 1);
  } catch (error) {
    return error as Error;
  }
  throw new Error('the source opened, but it should not have');
}

let folder: string;
beforeAll(() => {
  folder = temporaryFolder();
});
afterAll(() => removeFolder(folder));

describe('ffmpeg sources', () => {
  it('a video file: every frame, exactly width × height × 3 bytes, identical to ffmpeg decoding it', async () => {
    const video = path.join(folder, 'pattern.avi');
    makeTestPatternVideo(video, { width: 160, height: 120, fps: 10, frames: 12 });
    const frames = await collect({ streamId: 'file', source: { type: 'file', path: video }, decode: { width: 64, height: 48 } });
    const reference = decodeFrames(video, 64, 48);
    expect(frames).toHaveLength(12);
    expect(reference).toHaveLength(12);
    frames.forEach((frame, i) => {
      expect(frame).toMatchObject({ streamId: 'file', sequence: i, index: i, connection: 1, width: 64, height: 48 });
      expect(frame.data.length).toBe(64 * 48 * 3);
      expect(Buffer.compare(Buffer.from(frame.data), Buffer.from(reference[i]!))).toBe(0);
    });
  });

  it('a video file at a chosen fps: 10 fps → 5 fps halves the frames', async () => {
    const video = path.join(folder, 'pattern-20.avi');
    makeTestPatternVideo(video, { width: 64, height: 48, fps: 10, frames: 20 });
    const frames = await collect({ streamId: 'fps', source: { type: 'file', path: video }, decode: { width: 32, height: 24, fps: 5 } });
    expect(frames).toHaveLength(10);
  });

  const photos = sharedPath('datasets/photos');
  it.skipIf(!photos)('an image folder as a sequence: one frame per image, in name order, images of any size', async () => {
    const frames = await collect({ streamId: 'folder', source: { type: 'images', dir: photos!, pattern: '*.jpg', fps: 5 }, decode: { width: 80, height: 60 } });
    expect(frames).toHaveLength(6);
    // Frame 2 is giraffe.jpg (dog, eagle, giraffe, …): the same pixels as decoding that image alone.
    const alone = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', path.join(photos!, 'giraffe.jpg'), '-vf', 'scale=80:60:flags=bilinear', '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1']).stdout;
    expect(Buffer.compare(Buffer.from(frames[2]!.data), alone)).toBe(0);
  });

  it('a missing file, a file that is not a video, an empty folder, a missing camera: a SourceError naming the source', async () => {
    const missing = await openError({ streamId: 'cam1', source: { type: 'file', path: '/nowhere/clip.mp4' }, decode: { width: 32, height: 24 } });
    expect(SourceError.isInstance(missing)).toBe(true);
    expect(missing.message).toBe('stream "cam1": video file /nowhere/clip.mp4 could not be opened: the file does not exist');

    const text = path.join(folder, 'notes.mp4');
    writeFileSync(text, 'this is not a video\n'.repeat(100));
    const invalid = await openError({ streamId: 'cam2', source: { type: 'file', path: text }, decode: { width: 32, height: 24 } });
    expect(invalid.message).toMatch(new RegExp(`stream "cam2": video file ${text} could not be opened: ffmpeg exited with 1: .*Invalid data`));

    const empty = await openError({ streamId: 'cam3', source: { type: 'images', dir: folder, pattern: '*.png' }, decode: { width: 32, height: 24 } });
    expect(empty.message).toMatch(/image folder .* could not be opened: no file matches \*\.png/);

    const camera = await openError({ streamId: 'cam4', source: { type: 'v4l2', device: '/dev/video42' }, decode: { width: 32, height: 24 } });
    expect(camera.message).toMatch(/V4L2 device \/dev\/video42 could not be opened: the device does not exist/);

    const noFfmpeg = await openError({ streamId: 'cam5', source: { type: 'file', path: text }, decode: { width: 32, height: 24 }, ffmpegPath: '/opt/none/ffmpeg' });
    expect(noFfmpeg.message).toMatch(/ffmpeg could not be started .*ENOENT/);
  });

  it('an HTTP camera nobody serves, and one that accepts but sends nothing: a SourceError, not a hang', async () => {
    const port = await freePort();
    const refused = await openError({ streamId: 'gate', source: { type: 'http', url: `http://user:secret@127.0.0.1:${port}/video.mjpg` }, decode: { width: 32, height: 24 } });
    expect(refused.message).toMatch(new RegExp(`stream "gate": HTTP stream http://user:\\*\\*\\*@127.0.0.1:${port}/video.mjpg could not be opened: .*Connection refused`));
    expect(refused.message).not.toContain('secret');

    const silent = createServer(() => {}).listen(0, '127.0.0.1');
    await new Promise((resolve) => silent.once('listening', resolve));
    const silentPort = (silent.address() as { port: number }).port;
    const started = Date.now();
    const stalled = await openError({ streamId: 'quiet', source: { type: 'http', url: `http://127.0.0.1:${silentPort}/` }, decode: { width: 32, height: 24 }, openTimeoutMs: 800 });
    silent.close();
    expect(stalled.message).toMatch(/stream "quiet": HTTP stream .* could not be opened: no frame within 800 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
