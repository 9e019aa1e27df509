import { describe, expect, it } from 'vitest';
import { formatText } from './text-display.js';

describe('formatText', () => {
  it("fills {{ $parameters.name }} placeholders as Roboflow's text_display does", () => {
    const detections = { image: { width: 10, height: 10 }, predictions: [{}, {}, {}] };
    expect(formatText('Count: {{ $parameters.count }} at {{$parameters.camera}}', { count: detections, camera: 'north' })).toBe('Count: 3 at north');
    expect(formatText('score {{ $parameters.score }}, ok {{ $parameters.ok }}', { score: 0.123456, ok: true })).toBe('score 0.1235, ok True');
  });

  it('leaves placeholders without a parameter as written', () => {
    expect(formatText('x {{ $parameters.missing }}', {})).toBe('x {{ $parameters.missing }}');
  });
});
