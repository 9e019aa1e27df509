import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EvaluationResult, MetricSet } from './evaluate.js';
import type { RocCurve } from './metrics.js';

export interface GalleryItem {
  /** PNG file name inside the report's `gallery/` folder. */
  readonly file: string;
  readonly caption: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
const percent = (value: number | undefined) => (value === undefined ? '—' : (value * 100).toFixed(1));

/** An inline SVG of one or more ROC curves. */
export function rocSvg(curves: readonly { label: string; curve: RocCurve; colour: string }[], size = 280): string {
  const pad = 36;
  const inner = size - pad - 10;
  const lines = curves.map(({ curve, colour }) => {
    const points: string[] = [];
    const step = Math.max(1, Math.floor(curve.falsePositiveRate.length / 400));
    for (let index = 0; index < curve.falsePositiveRate.length; index += step) {
      points.push(`${(pad + curve.falsePositiveRate[index]! * inner).toFixed(1)},${(10 + (1 - curve.truePositiveRate[index]!) * inner).toFixed(1)}`);
    }
    points.push(`${pad + inner},10`);
    return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.join(' ')}"/>`;
  });
  const legend = curves.map(({ label, curve, colour }, index) => `<text x="${pad + inner - 4}" y="${inner - 6 - index * 16}" text-anchor="end" font-size="12" fill="${colour}">${escapeHtml(label)} AUROC ${percent(curve.auroc)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" font-family="sans-serif">
<rect x="${pad}" y="10" width="${inner}" height="${inner}" fill="#fafafa" stroke="#999"/>
<line x1="${pad}" y1="${10 + inner}" x2="${pad + inner}" y2="10" stroke="#ccc" stroke-dasharray="4 4"/>
${lines.join('\n')}
${legend.join('\n')}
<text x="${pad + inner / 2}" y="${size - 6}" text-anchor="middle" font-size="12">false-positive rate</text>
<text x="12" y="${10 + inner / 2}" transform="rotate(-90 12 ${10 + inner / 2})" text-anchor="middle" font-size="12">true-positive rate</text>
</svg>`;
}

function metricRow(name: string, set: MetricSet): string {
  return `<tr><td>${escapeHtml(name)}</td><td>${set.images}</td><td>${percent(set.imageAuroc)}</td><td>${percent(set.pixelAuroc)}</td><td>${percent(set.aupro)}</td></tr>`;
}

/** One line a script can read: `image AUROC 0.9912 pixel AUROC 0.9734 AUPRO 0.9011` (`-` where there are no masks). */
export function summaryLine(result: Pick<EvaluationResult, 'imageAuroc' | 'pixelAuroc' | 'aupro'>): string {
  const figure = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(4));
  return `image AUROC ${figure(result.imageAuroc)} pixel AUROC ${figure(result.pixelAuroc)} AUPRO ${figure(result.aupro)}`;
}

/**
 * Writes `index.html` (metrics, per-defect table, ROC curves as inline SVG, the gallery) and
 * `metrics.json` into `folder`. Gallery PNGs are expected in `folder/gallery/`.
 */
export async function writeReport(folder: string, result: EvaluationResult, gallery: readonly GalleryItem[], extra: { title?: string; notes?: Record<string, string> } = {}): Promise<string> {
  await mkdir(folder, { recursive: true });
  const { samples, imageRoc, pixelRoc, ...summary } = result;
  await writeFile(path.join(folder, 'metrics.json'), JSON.stringify({ summary: summaryLine(result), ...summary, samples, notes: extra.notes }, null, 2));
  const title = extra.title ?? `Anomaly detection report — ${path.basename(result.dataset)}`;
  const curves = [{ label: 'image', curve: imageRoc, colour: '#1f5fbf' }, ...(pixelRoc ? [{ label: 'pixel', curve: pixelRoc, colour: '#c0392b' }] : [])];
  const notes = Object.entries(extra.notes ?? {}).map(([key, value]) => `<tr><td>${escapeHtml(key)}</td><td>${escapeHtml(value)}</td></tr>`);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ddd;padding:4px 10px;text-align:right}td:first-child,th:first-child{text-align:left}
.headline{display:flex;gap:24px;flex-wrap:wrap}.figure{font-size:32px;font-weight:600}.label{color:#666;font-size:13px}
.gallery{display:flex;flex-wrap:wrap;gap:12px}.gallery figure{margin:0;font-size:12px}.gallery img{max-width:360px;image-rendering:pixelated;border:1px solid #ccc}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<div class="headline">
<div><div class="figure">${percent(result.imageAuroc)}</div><div class="label">image AUROC</div></div>
<div><div class="figure">${percent(result.pixelAuroc)}</div><div class="label">pixel AUROC</div></div>
<div><div class="figure">${percent(result.aupro)}</div><div class="label">AUPRO (FPR ≤ 0.3)</div></div>
<div><div class="figure">${percent(result.f1Max.f1)}</div><div class="label">F1-max (at score ${result.f1Max.threshold.toFixed(3)})</div></div>
<div><div class="figure">${result.timing.predictMillisecondsPerImage.toFixed(0)} ms</div><div class="label">per image (decode → score → map)</div></div>
</div>
<h2>ROC curves</h2>
${rocSvg(curves)}
<h2>Per defect type (each against all good images)</h2>
<table><tr><th>defect</th><th>images</th><th>image AUROC</th><th>pixel AUROC</th><th>AUPRO</th></tr>
${metricRow('all', result)}
${Object.entries(result.perDefect).map(([name, set]) => metricRow(name, set)).join('\n')}
</table>
<p>At the model's own threshold (normalised score 0.5): F1 ${percent(result.atThreshold.f1)}, precision ${percent(result.atThreshold.precision)}, recall ${percent(result.atThreshold.recall)}.</p>
${notes.length ? `<h2>Run</h2><table>${notes.join('\n')}</table>` : ''}
<h2>Gallery</h2>
<p>Left: the image. Right: the anomaly map over it (blue = normal, green→yellow = the threshold, red = far above it); white outline = ground truth.</p>
<div class="gallery">
${gallery.map((item) => `<figure><img src="gallery/${encodeURIComponent(item.file)}" alt="${escapeHtml(item.caption)}"><figcaption>${escapeHtml(item.caption)}</figcaption></figure>`).join('\n')}
</div>
</body></html>
`;
  const file = path.join(folder, 'index.html');
  await writeFile(file, html);
  return file;
}
