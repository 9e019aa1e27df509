import { describe, expect, it } from 'vitest';
import { ffmpegArguments } from './ffmpeg-arguments.js';

const decode = { width: 640, height: 480 };
const inputOf = (args: string[]) => args.slice(0, args.indexOf('-an'));
const outputOf = (args: string[]) => args.slice(args.indexOf('-an'));

describe('ffmpegArguments', () => {
  it('always ends in raw RGB of the chosen size on stdout, with fps when asked', () => {
    expect(outputOf(ffmpegArguments({ type: 'file', path: 'a.mp4' }, { ...decode, fps: 5 }))).toEqual([
      '-an', '-sn', '-dn', '-vf', 'scale=640:480:flags=bilinear,fps=5', '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1',
    ]);
  });

  it('RTSP over TCP with a socket timeout and a short probe; HTTP with an I/O timeout', () => {
    expect(inputOf(ffmpegArguments({ type: 'rtsp', url: 'rtsp://cam/1' }, { ...decode, networkTimeoutSeconds: 5 }))).toEqual([
      '-hide_banner', '-nostdin', '-loglevel', 'error',
      '-probesize', '500000', '-analyzeduration', '1000000', '-rtsp_transport', 'tcp', '-timeout', '5000000', '-flags', 'low_delay', '-i', 'rtsp://cam/1',
    ]);
    expect(inputOf(ffmpegArguments({ type: 'rtsp', url: 'rtsp://cam/1', transport: 'udp' }, decode))).toContain('udp');
    const http = inputOf(ffmpegArguments({ type: 'http', url: 'http://cam/video.mjpg' }, decode));
    expect(http.slice(http.indexOf('-rw_timeout'), http.indexOf('-rw_timeout') + 2)).toEqual(['-rw_timeout', '10000000']);
    expect(http).not.toContain('nobuffer'); // it would throw away the frames read while probing
  });

  it('V4L2 with the camera\'s own format, size and rate; files realtime and looped; folders as a glob', () => {
    expect(inputOf(ffmpegArguments({ type: 'v4l2', device: '/dev/video0', inputFormat: 'mjpeg', size: '1280x720', fps: 30 }, decode)).slice(4)).toEqual([
      '-f', 'v4l2', '-input_format', 'mjpeg', '-video_size', '1280x720', '-framerate', '30', '-i', '/dev/video0',
    ]);
    expect(inputOf(ffmpegArguments({ type: 'file', path: 'a.mp4', realtime: true, loop: true }, decode)).slice(4)).toEqual(['-re', '-stream_loop', '-1', '-i', 'a.mp4']);
    const folder = ffmpegArguments({ type: 'images', dir: '/data/shots [2]', pattern: '*.png', fps: 2 }, { ...decode, fps: 10 });
    expect(inputOf(folder).slice(4)).toEqual(['-framerate', '2', '-reinit_filter', '0', '-pattern_type', 'glob', '-i', '/data/shots \\[2\\]/*.png']);
    expect(folder).toContain('scale=640:480:flags=bilinear'); // the folder's own rate: no fps filter
  });
});
