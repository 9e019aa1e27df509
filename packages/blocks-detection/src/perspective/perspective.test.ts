import { readFileSync } from 'node:fs';
import { createBlockRegistry, createWorkflow, type Detection, type Detections, polygonArea, type PolygonPoint as Point, VadImage } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { dynamicZone, simplifyToVertices } from './dynamic-zone.js';
import { applyHomography, invert, multiply, perspectiveTransform } from './homography.js';
import { perspectiveCorrection, perspectiveCorrectionBlock } from './perspective-correction.js';
import { orderCorners, pickPerspectivePolygon } from './perspective-polygon.js';
import { warpPerspective } from './warp-perspective.js';


describe('dynamic zone geometry', () => {
  it('reduces a noisy quadrilateral outline to 4 corners near the true ones', () => {
    const corners: Point[] = [[20, 10], [180, 30], [170, 150], [10, 120]];
    const outline: Point[] = [];
    corners.forEach((p, i) => {
      const q = corners[(i + 1) % 4]!;
      for (let t = 0; t < 1; t += 0.05) outline.push([p[0] + (q[0] - p[0]) * t + (t * 37 % 1.5) - 0.7, p[1] + (q[1] - p[1]) * t + (t * 53 % 1.5) - 0.7]);
    });
    const zone = simplifyToVertices(outline, 4);
    expect(zone).toHaveLength(4);
    for (const c of corners) expect(Math.min(...zone.map((z) => Math.hypot(z[0] - c[0], z[1] - c[1])))).toBeLessThan(2);
    expect(Math.abs(polygonArea(zone) - polygonArea(corners)) / polygonArea(corners)).toBeLessThan(0.03);
  });
});

describe('homographies', () => {
  it('maps the four points exactly and agrees with a hand-made transform', () => {
    const from: Point[] = [[10, 20], [200, 40], [220, 180], [5, 160]];
    const to: Point[] = [[0, 99], [0, 0], [199, 0], [199, 99]];
    const h = perspectiveTransform(from, to);
    from.forEach((p, i) => {
      const [x, y] = applyHomography(h, p);
      expect(x).toBeCloseTo(to[i]![0], 6);
      expect(y).toBeCloseTo(to[i]![1], 6);
    });
    const round = multiply(invert(h), h);
    round.forEach((v, i) => expect(v).toBeCloseTo(i % 4 === 0 ? 1 : 0, 9));
    // A pure scale-and-shift is affine: its last row is (0, 0, 1).
    const affine = perspectiveTransform([[0, 0], [10, 0], [10, 10], [0, 10]], [[5, 5], [25, 5], [25, 25], [5, 25]]);
    [2, 0, 5, 0, 2, 5, 0, 0, 1].forEach((v, i) => expect(affine[i]).toBeCloseTo(v, 9));
  });

  it('orders corners bottom-left, top-left, top-right, bottom-right whatever the order given', () => {
    const ordered: Point[] = [[12, 95], [8, 10], [150, 14], [160, 100]];
    for (const shuffled of [[ordered[2], ordered[0], ordered[3], ordered[1]], [ordered[3], ordered[2], ordered[1], ordered[0]]] as Point[][]) {
      expect(orderCorners(shuffled)).toEqual(ordered);
    }
  });

  it('takes the largest 4-corner polygon of a list, and names what is wrong with other values', () => {
    expect(pickPerspectivePolygon([[0, 0], [4, 0], [4, 4], [0, 4]])).toEqual([[0, 0], [4, 0], [4, 4], [0, 4]]);
    const small = [[0, 0], [2, 0], [2, 2], [0, 2]], large = [[0, 0], [9, 0], [9, 9], [0, 9]], five = [[0, 0], [20, 0], [20, 20], [10, 25], [0, 20]];
    expect(pickPerspectivePolygon([small, five, large])).toEqual(large);
    expect(() => pickPerspectivePolygon([five])).toThrow(/no polygon in the list has 4/);
    expect(() => pickPerspectivePolygon([[0, 0], [1, 1], [2, 0]])).toThrow(/has 3 corners/);
    expect(() => pickPerspectivePolygon('zone')).toThrow(/expected a polygon/);
  });

  it('grows the rectangle to hold a detection whose anchor lies outside the polygon', () => {
    const square: Point[] = [[0, 100], [0, 0], [100, 0], [100, 100]];
    const plain = perspectiveCorrection(square, 100, 100);
    expect([plain.width, plain.height]).toEqual([100, 100]);
    const detection = { x: 130, y: 50, width: 20, height: 20 } as Detection;
    const grown = perspectiveCorrection(square, 100, 100, { detections: { image: { width: 200, height: 200 }, predictions: [detection] }, anchor: 'CENTER' });
    expect(grown.width).toBe(130);
    expect(grown.height).toBe(100);
    const [x] = applyHomography(grown.transform, [130, 50]);
    expect(x).toBeCloseTo(129, 0);
  });
});

/** Bilinear sample of interleaved RGB at (x, y), zero outside: what OpenCV's warp reads. */
function bilinear(data: Uint8Array, width: number, height: number, x: number, y: number, channel: number): number {
  const x0 = Math.floor(x), y0 = Math.floor(y), fx = x - x0, fy = y - y0;
  const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= width || yy >= height ? 0 : data[(yy * width + xx) * 3 + channel]!);
  return (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) + fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
}

describe('warpPerspective (ONNX Runtime GridSample)', () => {
  it('reproduces the image under the identity and shifts it under a translation', async () => {
    const [width, height] = [7, 5];
    const data = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37) % 256);
    const image = VadImage.fromPixels({ data, width, height });
    const same = await warpPerspective(image, [1, 0, 0, 0, 1, 0, 0, 0, 1], width, height);
    expect([...(await same.pixels()).data]).toEqual([...data]);
    const shifted = await (await warpPerspective(image, [1, 0, 2, 0, 1, 1, 0, 0, 1], width, height)).pixels();
    expect(shifted.data[(1 * width + 2) * 3]).toBe(data[0]);
    expect(shifted.data[0]).toBe(0);
  });

  it('samples a real photo where the inverse transform says, bilinearly', async () => {
    const file = sharedPath('datasets/photos/dog.jpg');
    if (!file) return;
    const image = await VadImage.fromBytes(readFileSync(file));
    const source = await image.pixels();
    const quad: Point[] = [[60, 500], [120, 80], [700, 110], [740, 560]];
    const { transform, width, height } = perspectiveCorrection(quad, 320, 240);
    const warped = await (await warpPerspective(image, transform, width, height)).pixels();
    expect([warped.width, warped.height]).toEqual([320, 240]);
    const back = invert(transform);
    for (const [X, Y] of [[0, 0], [160, 120], [319, 239], [37, 201]] as const) {
      const [x, y] = applyHomography(back, [X, Y]);
      for (let c = 0; c < 3; c++) expect(Math.abs(warped.data[(Y * width + X) * 3 + c]! - bilinear(source.data, source.width, source.height, x, y, c))).toBeLessThanOrEqual(1.5);
    }
  });
});

describe('dynamic_zone and perspective_correction blocks', () => {
  const registry = createBlockRegistry([dynamicZone, perspectiveCorrectionBlock]);
  const outline = (corners: Point[]) =>
    corners.flatMap((p, i) => {
      const q = corners[(i + 1) % corners.length]!;
      return Array.from({ length: 10 }, (_, k) => ({ x: Math.round(p[0] + ((q[0] - p[0]) * k) / 10), y: Math.round(p[1] + ((q[1] - p[1]) * k) / 10) }));
    });
  const belt: Point[] = [[40, 30], [260, 50], [280, 190], [20, 170]];
  const segmentation = (points: { x: number; y: number }[]): Detections => ({
    image: { width: 300, height: 200 },
    predictions: [{ x: 150, y: 110, width: 260, height: 160, confidence: 0.9, class: 'belt', class_id: 0, detection_id: 'd1', parent_id: 'image', points }],
  });
  const definition = {
    version: '1.3.0',
    inputs: [
      { type: 'WorkflowImage' as const, name: 'image' },
      { type: 'WorkflowParameter' as const, name: 'segments', kind: ['instance_segmentation_prediction'] },
    ],
    steps: [
      { type: 'roboflow_core/dynamic_zone@v1', name: 'zone', predictions: '$inputs.segments', required_number_of_vertices: 4 },
      {
        type: 'roboflow_core/perspective_correction@v1',
        name: 'correct',
        images: '$inputs.image',
        predictions: '$inputs.segments',
        perspective_polygons: '$steps.zone.zones',
        transformed_rect_width: 200,
        transformed_rect_height: 100,
        warp_image: true,
      },
    ],
    outputs: [
      { type: 'JsonField' as const, name: 'zones', selector: '$steps.zone.zones' },
      { type: 'JsonField' as const, name: 'converged', selector: '$steps.zone.simplification_converged' },
      { type: 'JsonField' as const, name: 'corrected', selector: '$steps.correct.corrected_coordinates' },
      { type: 'JsonField' as const, name: 'warped', selector: '$steps.correct.warped_image' },
      { type: 'JsonField' as const, name: 'width', selector: '$steps.correct.extended_transformed_rect_width' },
    ],
  };

  it("turns a segmented belt into a 4-corner zone and maps the belt onto the rectangle", async () => {
    const workflow = createWorkflow(definition, { registry });
    const image = VadImage.fromPixels({ data: new Uint8Array(300 * 200 * 3).fill(200), width: 300, height: 200 });
    const [record] = (await workflow.run({ inputs: { image, segments: segmentation(outline(belt)) } })).outputs as Array<Record<string, unknown>>;
    const zones = record!.zones as [number, number][][];
    expect(zones).toHaveLength(1);
    expect(zones[0]).toHaveLength(4);
    for (const c of belt) expect(Math.min(...zones[0]!.map((z) => Math.hypot(z[0] - c[0], z[1] - c[1])))).toBeLessThanOrEqual(1.5);
    expect(record!.converged).toBe(true);
    const corrected = (record!.corrected as Detections).predictions[0]!;
    // The belt's own outline fills the rectangle.
    expect(corrected.width).toBeGreaterThan(195);
    expect(corrected.width).toBeLessThan(205);
    expect(corrected.height).toBeGreaterThan(95);
    expect(corrected.height).toBeLessThan(105);
    const warped = record!.warped as VadImage;
    expect([warped.width, warped.height, record!.width]).toEqual([200, 100, 200]);
    expect((await warped.pixels()).data[(50 * 200 + 100) * 3]).toBe(200);
  });

  it('refuses perspective polygons that are not 4-corner polygons, naming the step', async () => {
    const workflow = createWorkflow({ ...definition, steps: [{ ...definition.steps[1]!, perspective_polygons: [[[0, 0], [1, 1], [2, 0]]] }], outputs: [definition.outputs[3]!] }, { registry });
    const image = VadImage.fromPixels({ data: new Uint8Array(300 * 200 * 3), width: 300, height: 200 });
    await expect(workflow.run({ inputs: { image, segments: segmentation([]) } })).rejects.toThrow(/correct.*perspective_polygons: no polygon in the list has 4/);
  });
});
