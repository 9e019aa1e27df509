import { describe, expect, it } from 'vitest';
import { VadImage } from '../image.js';
import type { Detection, Detections, MultiLabelClassification, SingleLabelClassification } from '../values.js';
import { applyOperations } from './operations.js';
import { evaluateStatement } from './statements.js';
import { operation, type Operation } from './schema.js';

const box = (id: string, cls: string, confidence: number, x: number, y: number, width = 10, height = 10): Detection => ({
  x, y, width, height, confidence, class: cls, class_id: cls === 'dog' ? 1 : 0, detection_id: id, parent_id: 'img',
});
const detections: Detections = {
  image: { width: 200, height: 100 },
  predictions: [box('a', 'cat', 0.4, 50, 50), box('b', 'dog', 0.9, 20, 30, 20, 40), box('c', 'dog', 0.6, 150, 50)],
};
/** Operations as a definition writes them, parsed (defaults filled) by the schema. */
const run = (value: unknown, operations: unknown[], parameters: Record<string, unknown> = {}) =>
  applyOperations(value, operations.map((op) => operation.parse(op) as Operation), parameters);
const ids = (value: unknown) => (value as Detections).predictions.map((d) => d.detection_id);
const confidenceAtLeast = (operand: unknown) => ({
  type: 'DetectionsFilter',
  filter_operation: {
    type: 'StatementGroup',
    statements: [{ type: 'BinaryStatement', left_operand: { type: 'DynamicOperand', operations: [{ type: 'ExtractDetectionProperty', property_name: 'confidence' }] }, comparator: { type: '(Number) >=' }, right_operand: operand }],
  },
});

describe('query-language operations on detections', () => {
  it('filters each detection with a statement, reading named parameters', () => {
    expect(ids(run(detections, [confidenceAtLeast({ type: 'DynamicOperand', operand_name: 'threshold' })], { threshold: 0.5 }))).toEqual(['b', 'c']);
    expect(ids(run(detections, [confidenceAtLeast({ type: 'StaticOperand', value: 0.95 })]))).toEqual([]);
    expect(() => run(detections, [confidenceAtLeast({ type: 'DynamicOperand', operand_name: 'threshold' })])).toThrow(/operations\[0\] \(DetectionsFilter\).*"threshold" is not given/);
  });

  it('sorts, selects, extracts properties and counts', () => {
    expect(ids(run(detections, [{ type: 'SortDetections', mode: 'confidence' }]))).toEqual(['a', 'c', 'b']);
    expect(ids(run(detections, [{ type: 'SortDetections', mode: 'center_x', ascending: false }]))).toEqual(['c', 'a', 'b']);
    expect(ids(run(detections, [{ type: 'DetectionsSelection', mode: 'top_confidence' }]))).toEqual(['b']);
    expect(ids(run(detections, [{ type: 'DetectionsSelection', mode: 'left_most' }]))).toEqual(['b']);
    expect(ids(run(detections, [{ type: 'SortDetections', mode: 'confidence' }, { type: 'DetectionsSelection', mode: 'last' }]))).toEqual(['b']);
    expect(ids(run({ ...detections, predictions: [] }, [{ type: 'DetectionsSelection', mode: 'first' }]))).toEqual([]);
    expect(run(detections, [{ type: 'DetectionsPropertyExtract', property_name: 'class_name' }])).toEqual(['cat', 'dog', 'dog']);
    expect(run(detections, [{ type: 'DetectionsPropertyExtract', property_name: 'x_min' }])).toEqual([45, 10, 145]);
    expect(run(detections, [{ type: 'DetectionsPropertyExtract', property_name: 'class_name' }, { type: 'SequenceAggregate', mode: 'most_common' }])).toBe('dog');
    expect(run(detections, [{ type: 'SequenceApply', operations: [{ type: 'ExtractDetectionProperty', property_name: 'size' }] }])).toEqual([100, 800, 100]);
    expect(run(detections, [{ type: 'SequenceLength' }])).toBe(3);
  });

  it('moves and resizes boxes, and renames classes strictly or not', () => {
    const offset = run(detections, [{ type: 'DetectionsOffset', offset_x: 10, offset_y: 4 }]) as Detections;
    expect(offset.predictions[1]).toMatchObject({ x: 20, y: 30, width: 30, height: 44 });
    const shifted = run(detections, [{ type: 'DetectionsShift', shift_x: 5, shift_y: -5 }]) as Detections;
    expect(shifted.predictions[0]).toMatchObject({ x: 55, y: 45, width: 10, height: 10 });
    const strict = run(detections, [{ type: 'DetectionsRename', class_map: { cat: 'pet', dog: 'animal' } }]) as Detections;
    expect(strict.predictions.map((d) => [d.class, d.class_id])).toEqual([['pet', 1], ['animal', 0], ['animal', 0]]);
    expect(() => run(detections, [{ type: 'DetectionsRename', class_map: { cat: 'pet' } }])).toThrow(/class "dog" is not in class_map/);
    const loose = run(detections, [{ type: 'DetectionsRename', class_map: 'mapping', strict: false }], { mapping: { cat: 'pet' } }) as Detections;
    expect(loose.predictions.map((d) => [d.class, d.class_id])).toEqual([['pet', 1024], ['dog', 1], ['dog', 1]]);
  });
});

describe('query-language operations on values', () => {
  it('follows Python for rounding, slicing, casting and strings', () => {
    expect(run(2.5, [{ type: 'NumberRound', decimal_digits: 0 }])).toBe(2);
    expect(run(3.5, [{ type: 'NumberRound', decimal_digits: 0 }])).toBe(4);
    expect(run(0.12345, [{ type: 'NumberRound', decimal_digits: 3 }])).toBeCloseTo(0.123, 10);
    expect(run(2.5000000001, [{ type: 'NumberRound', decimal_digits: 0 }])).toBe(3); // not a half, as in Python
    expect(run('7.9', [{ type: 'ToNumber', cast_to: 'int' }])).toBe(7);
    expect(run(true, [{ type: 'ToString' }])).toBe('True');
    expect(run('scratch', [{ type: 'StringSubSequence', start: 1 }])).toBe('cratc'); // end defaults to -1, as theirs
    expect(run('Scratch', [{ type: 'StringToLowerCase' }, { type: 'StringMatches', regex: 'scr' }])).toBe(true);
    expect(run(6, [{ type: 'Divide', other: 4 }, { type: 'Multiply', other: 10 }])).toBe(15);
    expect(() => run(6, [{ type: 'Multiply', other: 1 }, { type: 'Divide', other: 0 }])).toThrow(/operations\[1\] \(Divide\): division by zero/);
    expect(() => run('six', [{ type: 'Multiply', other: 2 }])).toThrow(/operations\[0\] \(Multiply\) needs a number, got a string "six"/);
  });

  it('maps, counts and aggregates sequences', () => {
    expect(run(['a', 'b', 'a'], [{ type: 'SequenceMap', lookup_table: { a: 1, b: 2 } }])).toEqual([1, 2, 1]);
    expect(() => run(['c'], [{ type: 'LookupTable', lookup_table: { a: 1 } }])).toThrow(/operations\[0\] \(LookupTable\) needs|not in the lookup table/);
    expect(run(['a', 'b', 'a'], [{ type: 'SequenceElementsCount' }])).toEqual({ a: 2, b: 1 });
    expect(run([3, 1, 2], [{ type: 'NumericSequenceAggregate', function: 'min' }])).toBe(1);
    expect(run([], [{ type: 'NumericSequenceAggregate', function: 'max', neutral_value: 0 }])).toBe(0);
    expect(run(['x', 'y', 'y'], [{ type: 'SequenceAggregate', mode: 'least_common' }])).toBe('x');
    expect(() => run([], [{ type: 'SequenceAggregate', mode: 'first' }])).toThrow(/empty list/);
  });

  it('reads classifications and filters their classes', () => {
    const single: SingleLabelClassification = {
      image: { width: 10, height: 10 }, prediction_type: 'classification', parent_id: 'img', top: 'dog', confidence: 0.7,
      predictions: [{ class: 'dog', class_id: 1, confidence: 0.7 }, { class: 'cat', class_id: 0, confidence: 0.2 }],
    };
    expect(run(single, [{ type: 'ClassificationPropertyExtract', property_name: 'top_class' }])).toBe('dog');
    expect(run(single, [{ type: 'ClassificationPropertyExtract', property_name: 'all_confidences' }])).toEqual([0.7, 0.2]);
    const keep = (threshold: number) => ({
      type: 'ClassificationFilter',
      filter_operation: {
        type: 'StatementGroup',
        statements: [{ type: 'BinaryStatement', left_operand: { type: 'DynamicOperand', operations: [{ type: 'ExtractClassificationPredictionProperty', property_name: 'confidence' }] }, comparator: { type: '(Number) >=' }, right_operand: { type: 'StaticOperand', value: threshold } }],
      },
    });
    expect(run(single, [keep(0.5)])).toMatchObject({ top: 'dog', confidence: 0.7, predictions: [{ class: 'dog' }] });
    expect(run(single, [keep(0.9)])).toMatchObject({ top: '', confidence: 0, predictions: [] });
    const multi: MultiLabelClassification = {
      image: { width: 10, height: 10 }, prediction_type: 'classification', parent_id: 'img', predicted_classes: ['dog', 'cat'],
      predictions: { dog: { confidence: 0.8, class_id: 1 }, cat: { confidence: 0.55, class_id: 0 } },
    };
    const filtered = run(multi, [keep(0.6)]) as MultiLabelClassification;
    expect(filtered.predicted_classes).toEqual(['dog']);
    expect(Object.keys(filtered.predictions)).toEqual(['dog', 'cat']); // every score is kept
    expect(run(multi, [{ type: 'ClassificationPropertyExtract', property_name: 'all_classes' }])).toEqual(['cat', 'dog']); // by class id
  });

  it('reads image sizes', () => {
    const image = VadImage.fromPixels({ data: new Uint8Array(4 * 3 * 3), width: 4, height: 3 });
    expect(run(image, [{ type: 'ExtractImageProperty', property_name: 'size' }])).toBe(12);
    expect(run(image, [{ type: 'ExtractImageProperty', property_name: 'aspect_ratio' }])).toBeCloseTo(4 / 3, 10);
  });

  it("reads a video frame's metadata (Roboflow's ExtractFrameMetadata)", () => {
    const pixels = { data: new Uint8Array(4 * 3 * 3), width: 4, height: 3 };
    const frame = VadImage.fromPixels(pixels, {
      videoMetadata: { video_identifier: 'rtsp://cam', frame_number: 61, frame_timestamp: '2026-12-07T06:00:02.000Z', fps: 30, measured_fps: null, comes_from_video_file: false },
    });
    expect(run(frame, [{ type: 'ExtractFrameMetadata', property_name: 'frame_number' }])).toBe(61);
    expect(run(frame, [{ type: 'ExtractFrameMetadata', property_name: 'frame_timestamp' }])).toBe('2026-12-07T06:00:02.000Z');
    expect(run(frame, [{ type: 'ExtractFrameMetadata', property_name: 'seconds_since_start' }])).toBeCloseTo(2, 9); // (61 − 1) / 30
    // withVideoMetadata keeps the image and adds the frame.
    const same = VadImage.fromPixels(pixels, { id: 'still' }).withVideoMetadata({ video_identifier: 'v', frame_number: 5, frame_timestamp: '2026-12-07T06:00:00.000Z', fps: null, measured_fps: null, comes_from_video_file: null });
    expect([same.id, same.width, run(same, [{ type: 'ExtractFrameMetadata', property_name: 'frame_number' }])]).toEqual(['still', 4, 5]);
    expect(() => run(same, [{ type: 'ExtractFrameMetadata', property_name: 'seconds_since_start' }])).toThrow(/seconds_since_start needs the video's fps/);
  });

  it('a still image is frame 0 at 30 fps, stamped once when first asked; anything but an image is refused', () => {
    const still = VadImage.fromPixels({ data: new Uint8Array(3), width: 1, height: 1 });
    const before = Date.now();
    const stamp = run(still, [{ type: 'ExtractFrameMetadata', property_name: 'frame_timestamp' }]) as string;
    expect(Date.parse(stamp)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(stamp)).toBeLessThanOrEqual(Date.now());
    expect(run(still, [{ type: 'ExtractFrameMetadata', property_name: 'frame_timestamp' }])).toBe(stamp);
    expect(run(still, [{ type: 'ExtractFrameMetadata', property_name: 'frame_number' }])).toBe(0);
    expect(run(still, [{ type: 'ExtractFrameMetadata', property_name: 'seconds_since_start' }])).toBeCloseTo(-1 / 30, 9);
    expect(() => run('invalid', [{ type: 'ExtractFrameMetadata', property_name: 'frame_number' }])).toThrow(/ExtractFrameMetadata\) needs an image/);
    expect(operation.safeParse({ type: 'ExtractFrameMetadata', property_name: 'frame_rate' }).success).toBe(false);
  });

  it('refuses an operation it does not implement, naming it', () => {
    const parsed = operation.safeParse({ type: 'ConvertImageToJPEG' });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/type/);
  });
});

describe('SequenceJoin and (Detection) in zone', () => {
  it('joins a list as Python\'s str.join over str() of each item', () => {
    expect(run(['SKU-1', 'SKU-2', 3], [{ type: 'SequenceJoin', separator: ', ' }])).toBe('SKU-1, SKU-2, 3');
    expect(run(['a', 'b'], [{ type: 'SequenceJoin' }])).toBe('a,b');
    expect(() => run('ab', [{ type: 'SequenceJoin' }])).toThrow(/needs a list/);
  });

  it('keeps detections whose centre lies in the zone, border included', () => {
    const zone = [[0, 0], [0, 10], [10, 10], [10, 0]];
    const inZone = (x: number, y: number) =>
      evaluateStatement(
        { type: 'BinaryStatement', left_operand: { type: 'StaticOperand', value: [x, y], operations: [] }, comparator: { type: '(Detection) in zone' }, right_operand: { type: 'StaticOperand', value: zone, operations: [] }, negate: false },
        {},
      );
    expect([inZone(5, 5), inZone(10, 5), inZone(0, 0), inZone(10.01, 5), inZone(-1, -1)]).toEqual([true, true, true, false, false]);
    const triangle = [[0, 0], [10, 0], [0, 10]];
    const inTriangle = (x: number, y: number) =>
      evaluateStatement(
        { type: 'BinaryStatement', left_operand: { type: 'StaticOperand', value: [x, y], operations: [] }, comparator: { type: '(Detection) in zone' }, right_operand: { type: 'StaticOperand', value: triangle, operations: [] }, negate: false },
        {},
      );
    expect([inTriangle(2, 2), inTriangle(6, 6), inTriangle(5, 5)]).toEqual([true, false, true]);
  });
});
