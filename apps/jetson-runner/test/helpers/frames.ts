import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/** A flat grey JPEG (`level` 0–255), with a little texture so the encoder has something to do. */
export async function writeFlatImage(file: string, level: number, size = { width: 96, height: 72 }) {
  await sharp({ create: { width: size.width, height: size.height, channels: 3, background: { r: level, g: level, b: level } } })
    .jpeg({ quality: 95 })
    .toFile(file);
}

/** The JSON lines of a file, parsed; throws on a line that is cut off or not JSON. */
export function readJsonLines(file: string): Record<string, any>[] {
  const text = readFileSync(file, 'utf8');
  if (text.length > 0 && !text.endsWith('\n')) throw new Error(`${file} ends in the middle of a line`);
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, any>);
}

/** Saved frames of one stream in an archive folder: base names that have both a .jpg and a .json. */
export function archivedFrames(dir: string, streamId: string): { base: string; record: Record<string, any> }[] {
  const folder = path.join(dir, streamId);
  if (!existsSync(folder)) return [];
  const names = readdirSync(folder);
  return names
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const base = name.slice(0, -'.json'.length);
      if (!names.includes(`${base}.jpg`)) throw new Error(`${folder}/${base}.json has no .jpg`);
      return { base: path.join(folder, base), record: JSON.parse(readFileSync(path.join(folder, name), 'utf8')) as Record<string, any> };
    });
}
