/** Where a stream's frames come from. Every kind is decoded by an ffmpeg child process. */
export type SourceSpec =
  | { type: 'file'; path: string; loop?: boolean; realtime?: boolean }
  | { type: 'rtsp'; url: string; transport?: 'tcp' | 'udp' }
  | { type: 'http'; url: string }
  | { type: 'v4l2'; device: string; inputFormat?: string; size?: string; fps?: number }
  | { type: 'images'; dir: string; pattern?: string; fps?: number; loop?: boolean };

/** Live sources are reconnected when they drop and drained at camera speed (latest-frame policy). */
export function isLiveSource(source: SourceSpec): boolean {
  return source.type === 'rtsp' || source.type === 'http' || source.type === 'v4l2' || (source.type === 'file' && source.realtime === true);
}

/** Sources that may come back after they end or fail (a network camera that reboots). */
export function isReconnectable(source: SourceSpec): boolean {
  return source.type === 'rtsp' || source.type === 'http' || source.type === 'v4l2';
}

/** A short human name for logs and errors, without credentials in URLs. */
export function describeSource(source: SourceSpec): string {
  switch (source.type) {
    case 'file':
      return `video file ${source.path}`;
    case 'rtsp':
    case 'http':
      return `${source.type.toUpperCase()} stream ${redactUrl(source.url)}`;
    case 'v4l2':
      return `V4L2 device ${source.device}`;
    case 'images':
      return `image folder ${source.dir} (${source.pattern ?? '*.jpg'})`;
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * Reads the shorthand a person types on the command line: `rtsp://…`, `http(s)://…`,
 * `/dev/videoN`, a folder (an image sequence) or a video file.
 */
export function parseSourceShorthand(text: string, isDirectory: (path: string) => boolean): SourceSpec {
  if (/^rtsps?:\/\//i.test(text)) return { type: 'rtsp', url: text };
  if (/^https?:\/\//i.test(text)) return { type: 'http', url: text };
  if (/^\/dev\/video\d+$/.test(text) || text.startsWith('v4l2:')) return { type: 'v4l2', device: text.replace(/^v4l2:/, '') };
  if (isDirectory(text)) return { type: 'images', dir: text };
  return { type: 'file', path: text };
}
