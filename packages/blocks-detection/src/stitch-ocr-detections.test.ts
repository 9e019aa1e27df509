import type { Detections } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { stitchOcrDetections, type ReadingDirection } from './stitch-ocr-detections.js';

/** OCR detections from [x1, y1, x2, y2] corners and their characters (the cases of Roboflow's unit tests). */
function ocr(corners: number[][], characters: string[]): Detections {
  return {
    image: { width: 200, height: 200 },
    predictions: corners.map(([x1, y1, x2, y2], i) => ({
      x: (x1! + x2!) / 2, y: (y1! + y2!) / 2, width: x2! - x1!, height: y2! - y1!, confidence: 0.9, class: characters[i]!, class_id: i, detection_id: `d${i}`, parent_id: 'image',
    })),
  };
}
const read = (detections: Detections, readingDirection: ReadingDirection = 'left_to_right', tolerance = 10, delimiter?: string) =>
  stitchOcrDetections(detections, { readingDirection, tolerance, delimiter });

describe('stitchOcrDetections', () => {
  it('reads nothing as an empty string', () => {
    expect(read(ocr([], []))).toBe('');
  });

  it('reads one line left to right, whatever the input order', () => {
    expect(read(ocr([[10, 0, 20, 10], [30, 0, 40, 10], [50, 0, 60, 10], [70, 0, 80, 10], [90, 0, 100, 10]], ['H', 'E', 'L', 'L', 'O']))).toBe('HELLO');
    expect(read(ocr([[50, 0, 60, 10], [10, 0, 20, 10], [70, 0, 80, 10], [30, 0, 40, 10]], ['O', 'H', 'W', 'L']))).toBe('HLOW');
  });

  it('breaks lines with a newline', () => {
    expect(read(ocr([[10, 0, 20, 10], [30, 0, 40, 10], [10, 20, 20, 30], [30, 20, 40, 30], [50, 20, 60, 30]], ['H', 'I', 'B', 'Y', 'E']))).toBe('HI\nBYE');
  });

  it('reads right to left', () => {
    expect(read(ocr([[90, 0, 100, 10], [70, 0, 80, 10], [50, 0, 60, 10], [30, 0, 40, 10], [10, 0, 20, 10]], ['م', 'ر', 'ح', 'ب', 'ا']), 'right_to_left')).toBe('مرحبا');
  });

  it('reads vertical columns left to right, top to bottom, separated by a space; bottom to top reverses both', () => {
    const columns = ocr([[20, 10, 30, 20], [20, 30, 30, 40], [0, 10, 10, 20], [0, 30, 10, 40]], ['上', '下', '左', '右']);
    expect(read(columns, 'vertical_top_to_bottom')).toBe('左右 上下');
    expect(read(columns, 'vertical_bottom_to_top')).toBe('下上 右左');
  });

  it('groups by the gap between neighbouring lines, within the tolerance', () => {
    const staggered = ocr([[10, 0, 20, 10], [30, 2, 40, 12], [10, 20, 20, 30], [30, 22, 40, 32]], ['A', 'B', 'C', 'D']);
    expect(read(staggered, 'left_to_right', 1)).toBe('A\nB\nC\nD');
    expect(read(staggered, 'left_to_right', 5)).toBe('AB\nCD');
    // A chain of small gaps stays one line even across a larger total drift.
    expect(read(ocr([[0, 0, 5, 5], [10, 8, 15, 13], [20, 16, 25, 21]], ['x', 'y', 'z']), 'left_to_right', 10)).toBe('xyz');
  });

  it('puts the delimiter between every piece, line breaks included', () => {
    const lines = ocr([[10, 0, 20, 10], [30, 0, 40, 10], [10, 20, 20, 30]], ['hello', 'world', 'again']);
    expect(read(lines, 'left_to_right', 10, ' ')).toBe('hello world \n again');
  });

  it('auto picks horizontal for wide boxes and vertical for tall ones', () => {
    expect(read(ocr([[0, 0, 30, 10], [40, 0, 70, 10]], ['ab', 'cd']), 'auto')).toBe('abcd');
    expect(read(ocr([[0, 0, 10, 30], [0, 40, 10, 70], [20, 0, 30, 30]], ['a', 'b', 'c']), 'auto')).toBe('ab c');
  });

  it.each(['left_to_right', 'right_to_left', 'vertical_top_to_bottom', 'vertical_bottom_to_top'] as const)('reads a single detection the same in %s', (direction) => {
    expect(read(ocr([[0, 0, 10, 10]], ['A']), direction)).toBe('A');
  });
});
