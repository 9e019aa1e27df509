// Draws a detector's boxes on a photo, to check them by eye:
//   node scripts/draw-detections.mjs <model.onnx> <photo> <out.png> [confidence]
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { VadImage } from '@vad/core';
import { createObjectDetector } from '../dist/index.js';

const [model, photo, out, confidence = '0.35'] = process.argv.slice(2);
const names = (await readFile(path.join(path.dirname(photo), 'coco.names'), 'utf8')).split('\n').map((s) => s.trim()).filter(Boolean);
const detector = await createObjectDetector({ model, classNames: names });
const bytes = await readFile(photo);
const image = await VadImage.fromBytes(bytes);
const { predictions } = await detector.detect(image, { confidence: Number(confidence) });
const rects = predictions.map((p) => {
  const x = p.x - p.width / 2, y = p.y - p.height / 2;
  return `<rect x="${x}" y="${y}" width="${p.width}" height="${p.height}" fill="none" stroke="red" stroke-width="3"/><text x="${x + 4}" y="${y + 18}" fill="yellow" font-size="18" font-family="sans-serif">${p.class} ${p.confidence.toFixed(2)}</text>`;
});
// a 50 px grid helps read coordinates off the picture
const grid = [];
for (let x = 0; x < image.width; x += 50) grid.push(`<line x1="${x}" y1="0" x2="${x}" y2="${image.height}" stroke="cyan" stroke-opacity="${x % 100 ? 0.15 : 0.4}"/>`);
for (let y = 0; y < image.height; y += 50) grid.push(`<line x1="0" y1="${y}" x2="${image.width}" y2="${y}" stroke="cyan" stroke-opacity="${y % 100 ? 0.15 : 0.4}"/>`);
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${image.width}" height="${image.height}">${grid.join('')}${rects.join('')}</svg>`;
await sharp(bytes).composite([{ input: Buffer.from(svg) }]).png().toFile(out);
console.log(JSON.stringify(predictions.map((p) => ({ class: p.class, confidence: +p.confidence.toFixed(3), box: [p.x - p.width / 2, p.y - p.height / 2, p.x + p.width / 2, p.y + p.height / 2].map((v) => Math.round(v)) }))));
await detector.dispose();
