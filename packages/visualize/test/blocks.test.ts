import { describe, expect, it } from 'vitest';
import { VadImage, type AnomalyMap } from '@vad/core';
import { anomalyMapVisualization, boundingBoxVisualization, heatmapVisualization, labelVisualization, relativeLuminance, textDisplay } from '../src/index.js';
import { detection } from '../scripts/fixtures.mjs';
import { gradientImage, runBlock, runContext } from './photos.js';

const width = 160;
const height = 120;
const envelope = (...predictions: ReturnType<typeof detection>[]) => ({ image: { width, height }, predictions });
const pixel = (image: { data: Uint8Array; width: number }, x: number, y: number) => Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));

function squareMap(mapWidth: number, mapHeight: number, square: { x0: number; y0: number; x1: number; y1: number }, threshold?: number): AnomalyMap {
  const data = new Float32Array(mapWidth * mapHeight);
  for (let y = square.y0; y < square.y1; y++) data.fill(1, y * mapWidth + square.x0, y * mapWidth + square.x1);
  return { kind: 'anomaly_map', width: mapWidth, height: mapHeight, data, ...(threshold !== undefined && { threshold }) };
}

describe('every drawing block', () => {
  it('returns a new image and leaves the input pixels as they were', async () => {
    const image = gradientImage(width, height);
    const before = new Uint8Array((await image.pixels()).data);
    const predictions = envelope(detection([20, 20, 100, 90], { class: 'scratch', class_id: 1, confidence: 0.8 }));
    const outputs = [
      await runBlock(boundingBoxVisualization, { image, predictions }),
      await runBlock(labelVisualization, { image, predictions }),
      await runBlock(heatmapVisualization, { image, predictions }),
      await runBlock(anomalyMapVisualization, { image, anomaly_map: squareMap(width, height, { x0: 10, y0: 10, x1: 50, y1: 50 }, 0.5) }),
      await runBlock(textDisplay, { image, text: 'hello' }),
    ];
    for (const output of outputs) {
      expect(output).not.toBe(image);
      expect([output.width, output.height]).toEqual([width, height]);
      expect(Buffer.compare(Buffer.from((await output.pixels()).data), Buffer.from(before))).not.toBe(0);
    }
    expect(Buffer.compare(Buffer.from((await image.pixels()).data), Buffer.from(before))).toBe(0);
  });

  it("keeps the input's identity: id, lineage and video frame (Roboflow's parent metadata), so slices of the input belong to the drawing", async () => {
    const frame = { video_identifier: 'camera', frame_number: 7, frame_timestamp: '2026-12-07T10:00:00.000Z', fps: 25, measured_fps: null, comes_from_video_file: false };
    const parent = gradientImage(width * 2, height * 2);
    const image = (await parent.crop({ x: 40, y: 30, width, height })).withVideoMetadata(frame);
    const predictions = envelope(detection([20, 20, 100, 90], { class: 'scratch', class_id: 1, confidence: 0.8 }));
    const outputs = [
      await runBlock(boundingBoxVisualization, { image, predictions }),
      await runBlock(anomalyMapVisualization, { image, anomaly_map: squareMap(width, height, { x0: 10, y0: 10, x1: 50, y1: 50 }, 0.5) }),
      await runBlock(textDisplay, { image, text: 'hello' }),
    ];
    for (const output of outputs) {
      expect(output.id).toBe(image.id);
      expect(output.lineage).toEqual(image.lineage);
      expect(output.lineage?.parentId).toBe(parent.id);
      expect(output.videoMetadata).toEqual(frame);
    }
  });
});

describe('chained blocks', () => {
  it('never write into the image an earlier block returned', async () => {
    const image = gradientImage(width, height);
    const overlay = await runBlock(anomalyMapVisualization, { image, anomaly_map: squareMap(width, height, { x0: 10, y0: 10, x1: 50, y1: 50 }, 0.5) });
    const before = Buffer.from((await overlay.pixels()).data);
    const predictions = envelope(detection([20, 20, 100, 90], { class: 'scratch', class_id: 1, confidence: 0.8 }));
    const boxed = await runBlock(boundingBoxVisualization, { image: overlay, predictions });
    await runBlock(labelVisualization, { image: boxed, predictions });
    expect(Buffer.compare(Buffer.from((await overlay.pixels()).data), before)).toBe(0);
  });
});

describe('concurrent runs', () => {
  it('draw the same labels as one run at a time (shared glyph cache)', async () => {
    const image = gradientImage(width, height);
    const instance = await labelVisualization.create({ stepName: 'step', properties: {}, host: {} });
    const frames = Array.from({ length: 6 }, (_, i) => envelope(detection([10 + i * 5, 40, 90, 110], { class: `ÅØ label ${i} ж`, class_id: i, confidence: 0.5 + i / 20 })));
    const options = { text: 'Class and Confidence', text_scale: 0.33 + 0.01, text_padding: 3 };
    const together = await Promise.all(frames.map((predictions) => runBlock(labelVisualization, { image, predictions, ...options }, instance)));
    for (let i = 0; i < frames.length; i++) {
      const alone = await runBlock(labelVisualization, { image, predictions: frames[i], ...options }, instance);
      expect(Buffer.compare(Buffer.from((await together[i]!.pixels()).data), Buffer.from((await alone.pixels()).data)), `frame ${i}`).toBe(0);
    }
  });
});

describe('detections that are empty or outside the image', () => {
  it('returns the very same image for empty detections, without decoding or copying', async () => {
    const image = gradientImage(width, height);
    for (const block of [boundingBoxVisualization, labelVisualization, heatmapVisualization]) {
      expect(await runBlock(block, { image, predictions: envelope() })).toBe(image);
    }
  });

  it('skips boxes wholly outside the image or without area, and clips the others', async () => {
    const image = gradientImage(width, height);
    const outside = envelope(
      detection([200, 10, 260, 50], { class: 'right of it', class_id: 0, confidence: 0.9 }),
      detection([-80, -80, -10, -10], { class: 'above it', class_id: 0, confidence: 0.9 }),
      detection([40, 40, 40, 90], { class: 'no width', class_id: 0, confidence: 0.9 }),
    );
    expect(await runBlock(boundingBoxVisualization, { image, predictions: outside })).toBe(image);
    expect(await runBlock(labelVisualization, { image, predictions: outside })).toBe(image);

    // Cut by the right and bottom edges: its edges are drawn along the image border.
    const cut = envelope(detection([100, 60, 220, 200], { class: 'cut', class_id: 0, confidence: 0.9 }));
    const drawn = await (await runBlock(boundingBoxVisualization, { image, predictions: cut, custom_colors: ['#FF0000'], color_palette: 'CUSTOM', thickness: 4 })).pixels();
    expect(pixel(drawn, width - 1, 90)).toEqual([255, 0, 0]);
    expect(pixel(drawn, 130, height - 1)).toEqual([255, 0, 0]);
    expect(pixel(drawn, 100, 90)).toEqual([255, 0, 0]);
    expect(pixel(drawn, 130, 90)).toEqual(pixel(await image.pixels(), 130, 90)); // inside the box: untouched
  });

  it('keeps a label inside the image when its box touches the top edge', async () => {
    const image = gradientImage(width, height);
    const predictions = envelope(detection([40, 0, 120, 60], { class: 'top', class_id: 0, confidence: 0.9 }));
    const out = await (await runBlock(labelVisualization, { image, predictions, color_palette: 'CUSTOM', custom_colors: ['#00FF00'], text_scale: 0.5, text_padding: 4 })).pixels();
    // The label (green background) starts at the top-left corner of the box, inside the image.
    expect(pixel(out, 41, 1)).toEqual([0, 255, 0]);
  });
});

describe('label legibility', () => {
  async function labelRegion(color: string) {
    const image = gradientImage(width, height);
    const predictions = envelope(detection([20, 60, 140, 110], { class: 'HHHH', class_id: 0, confidence: 0.9 }));
    const out = await (await runBlock(labelVisualization, { image, predictions, color_palette: 'CUSTOM', custom_colors: [color], text_padding: 6, text_scale: 0.8 })).pixels();
    const luminances: number[] = [];
    // The label sits above the box's top-left corner (TOP_LEFT): rows 60 - height .. 60.
    for (let y = 40; y < 58; y++) for (let x = 24; x < 60; x++) {
      const [r, g, b] = pixel(out, x, y) as [number, number, number];
      luminances.push(relativeLuminance({ r, g, b }));
    }
    return { darkest: Math.min(...luminances), lightest: Math.max(...luminances) };
  }

  it('draws black text on a light label and white text on a dark one', async () => {
    const yellow = await labelRegion('#FFFF00');
    expect(yellow.darkest).toBeLessThan(0.05);
    const navy = await labelRegion('#000080');
    expect(navy.lightest).toBeGreaterThan(0.9);
  });
});

describe('anomaly map overlay', () => {
  it('resizes a smaller map of the same aspect ratio onto the image', async () => {
    const image = gradientImage(width, height);
    const small = squareMap(40, 30, { x0: 10, y0: 10, x1: 20, y1: 20 }, 0.5);
    const out = await (await runBlock(anomalyMapVisualization, { image, anomaly_map: small, opacity: 1, show_contours: false })).pixels();
    // Map pixel (15, 15) covers image pixels around (60, 60): the hottest turbo color there, the coolest far away.
    expect(pixel(out, 60, 60)).toEqual([122, 4, 3]);
    expect(pixel(out, 150, 110)).toEqual([48, 18, 59]);
  });

  it('rejects a map whose aspect ratio cannot match, naming both sizes', async () => {
    const image = gradientImage(width, height);
    const square = squareMap(100, 100, { x0: 0, y0: 0, x1: 10, y1: 10 });
    await expect(runBlock(anomalyMapVisualization, { image, anomaly_map: square })).rejects.toMatchObject({
      name: 'VAD_InvalidInputError',
      property: 'anomaly_map',
      message: expect.stringMatching(/100×100.*160×120/),
    });
  });

  it('rejects a map whose data does not have width × height scores, and a value that is not a map', async () => {
    const image = gradientImage(width, height);
    const broken = { kind: 'anomaly_map', width: 10, height: 10, data: new Float32Array(50) };
    await expect(runBlock(anomalyMapVisualization, { image, anomaly_map: broken })).rejects.toMatchObject({ property: 'anomaly_map', message: expect.stringContaining('50 scores') });
    await expect(runBlock(anomalyMapVisualization, { image, anomaly_map: [1, 2, 3] })).rejects.toMatchObject({ name: 'VAD_InvalidInputError', property: 'anomaly_map' });
  });

  it('draws contours of the given thickness inside the regions at or above the threshold', async () => {
    const image = gradientImage(width, height);
    const map = squareMap(width, height, { x0: 40, y0: 30, x1: 80, y1: 70 }, 0.5);
    const out = await (await runBlock(anomalyMapVisualization, { image, anomaly_map: map, opacity: 0, contour_color: '#FF00FF', contour_thickness: 3 })).pixels();
    const magenta = [255, 0, 255];
    for (const x of [40, 41, 42]) expect(pixel(out, x, 50), `x ${x}`).toEqual(magenta);
    for (const x of [39, 43, 60]) expect(pixel(out, x, 50), `x ${x}`).toEqual(pixel(await image.pixels(), x, 50));
    for (const y of [67, 68, 69]) expect(pixel(out, 60, y), `y ${y}`).toEqual(magenta);

    // A region cut by the image's left edge is closed along that edge.
    const atEdge = squareMap(width, height, { x0: 0, y0: 30, x1: 30, y1: 70 }, 0.5);
    const edged = await (await runBlock(anomalyMapVisualization, { image, anomaly_map: atEdge, opacity: 0, contour_color: '#FF00FF', contour_thickness: 2 })).pixels();
    expect(pixel(edged, 0, 50)).toEqual(magenta);
    expect(pixel(edged, 1, 50)).toEqual(magenta);
    expect(pixel(edged, 2, 50)).toEqual(pixel(await image.pixels(), 2, 50));
  });

  it('uses the fixed score range so equal scores get equal colors in every image', async () => {
    const image = gradientImage(width, height);
    const low = squareMap(width, height, { x0: 0, y0: 0, x1: 10, y1: 10 });
    const scaled = { ...low, data: low.data.map((value) => value * 0.5) };
    const fixed = { normalization: 'fixed', min_score: 0, max_score: 1, opacity: 1, show_contours: false };
    const out = await (await runBlock(anomalyMapVisualization, { image, anomaly_map: scaled, ...fixed })).pixels();
    // 0.5 of a 0–1 range is turbo's middle (level 128), not its top as automatic normalization would give.
    expect(pixel(out, 5, 5)).toEqual([164, 252, 60]);
    await expect(runBlock(anomalyMapVisualization, { image, anomaly_map: scaled, ...fixed, max_score: 0 })).rejects.toMatchObject({ property: 'max_score' });
  });
});

describe('lineage and odd scores', () => {
  it('keeps the lineage of a crop, so drawings on crops still map to their parent', async () => {
    const parent = gradientImage(width, height);
    const crop = await parent.crop({ x: 20, y: 10, width: 100, height: 80 });
    const predictions = { image: { width: 100, height: 80 }, predictions: [detection([10, 10, 60, 60], { class: 'a', class_id: 0, confidence: 1 })] };
    expect((await runBlock(boundingBoxVisualization, { image: crop, predictions })).lineage).toEqual(crop.lineage);
    expect((await runBlock(anomalyMapVisualization, { image: crop, anomaly_map: squareMap(100, 80, { x0: 0, y0: 0, x1: 5, y1: 5 }) })).lineage).toEqual(crop.lineage);
  });

  it('ignores NaN and infinite scores when normalizing automatically', async () => {
    const image = gradientImage(width, height);
    const map = squareMap(width, height, { x0: 0, y0: 0, x1: 10, y1: 10 });
    map.data[5000] = Number.NaN;
    map.data[5001] = Number.POSITIVE_INFINITY;
    const out = await (await runBlock(anomalyMapVisualization, { image, anomaly_map: map, opacity: 1, show_contours: false })).pixels();
    expect(pixel(out, 5, 5)).toEqual([122, 4, 3]); // 1 is still the top of the range
    expect(pixel(out, 100, 100)).toEqual([48, 18, 59]);
  });
});

describe('heatmap state', () => {
  it('accumulates per instance (the engine keeps one per stream) and ignores stationary tracked objects', async () => {
    const image = gradientImage(width, height);
    const instance = await heatmapVisualization.create({ stepName: 'step', properties: {}, host: {} });
    const left = envelope(detection([10, 40, 40, 80], { class: 'a', class_id: 0, confidence: 1 }));
    const right = envelope(detection([110, 40, 140, 80], { class: 'a', class_id: 0, confidence: 1 }));
    const options = { radius: 10, kernel_size: 0, opacity: 0.5 };
    await runBlock(heatmapVisualization, { image, predictions: left, ...options }, instance);
    const second = await (await runBlock(heatmapVisualization, { image, predictions: right, ...options }, instance)).pixels();
    const original = await image.pixels();
    expect(pixel(second, 25, 78)).not.toEqual(pixel(original, 25, 78)); // heat from the first frame remains
    expect(pixel(second, 125, 78)).not.toEqual(pixel(original, 125, 78));
    const fresh = await (await runBlock(heatmapVisualization, { image, predictions: right, ...options })).pixels();
    expect(pixel(fresh, 25, 78)).toEqual(pixel(original, 25, 78)); // another instance has no history

    const tracked = await heatmapVisualization.create({ stepName: 'step', properties: {}, host: {} });
    const still = envelope(detection([50, 40, 80, 80], { class: 'a', class_id: 0, confidence: 1, tracker_id: 7 }));
    for (let i = 0; i < 3; i++) expect(await runBlock(heatmapVisualization, { image, predictions: still, ...options }, tracked)).toBe(image);
    const moved = envelope(detection([90, 40, 120, 80], { class: 'a', class_id: 0, confidence: 1, tracker_id: 7 }));
    expect(await runBlock(heatmapVisualization, { image, predictions: moved, ...options }, tracked)).not.toBe(image);
  });

  it('starts again, with a warning, when the stream changes image size', async () => {
    const instance = await heatmapVisualization.create({ stepName: 'step', properties: {}, host: {} });
    const predictions = envelope(detection([10, 40, 40, 80], { class: 'a', class_id: 0, confidence: 1 }));
    const context = runContext();
    await instance.run({ image: gradientImage(width, height), predictions } as never, context);
    await instance.run({ image: gradientImage(80, 60), predictions } as never, context);
    expect(context.warnings.join()).toMatch(/160×120 to 80×60/);
  });
});

describe('bad parameters given through selectors', () => {
  it('names the property of a bad color or an empty custom palette', async () => {
    const image = gradientImage(width, height);
    const predictions = envelope(detection([10, 10, 50, 50], { class: 'a', class_id: 0, confidence: 1 }));
    await expect(runBlock(labelVisualization, { image, predictions, text_color: 'sky blue' })).rejects.toMatchObject({ property: 'text_color' });
    await expect(runBlock(boundingBoxVisualization, { image, predictions, color_palette: 'CUSTOM' })).rejects.toMatchObject({ property: 'custom_colors' });
    await expect(runBlock(boundingBoxVisualization, { image, predictions, thickness: -3 })).rejects.toMatchObject({ property: 'thickness' });
    await expect(runBlock(boundingBoxVisualization, { image, predictions: { predictions: 'none' } })).rejects.toMatchObject({ property: 'predictions' });
  });
});

describe('text display', () => {
  it('keeps a box larger than the image at the top-left', async () => {
    const image = VadImage.fromPixels({ data: new Uint8Array(40 * 20 * 3).fill(255), width: 40, height: 20 });
    const out = await (await runBlock(textDisplay, { image, text: 'a long line of text', background_color: '#0000FF' })).pixels();
    expect(pixel(out, 0, 0)).toEqual([0, 0, 255]);
  });

  it('draws a box far wider than the rasteriser allows (found by fuzzing: 100,000 characters), rounded corners out of sight', async () => {
    const image = VadImage.fromPixels({ data: new Uint8Array(64 * 48 * 3).fill(255), width: 64, height: 48 });
    const out = await (await runBlock(textDisplay, { image, text: 'x'.repeat(100_000), background_color: '#0000FF', border_radius: 8, position_mode: 'absolute', position_x: 0, position_y: 0 })).pixels();
    expect([out.width, out.height]).toEqual([64, 48]);
    // Padding-filled pixels near the right edge are the box's colour: the box runs on past the image, no corner is cut there.
    expect(pixel(out, 63, 1)).toEqual([0, 0, 255]);
  });
});
