import { describe, expect, it } from 'vitest';
import { fontMetrics, glyphBounds, layoutLine } from './font.js';

describe('the shipped Roboto', () => {
  it('loads from @fontsource/roboto with sensible metrics', () => {
    const metrics = fontMetrics(500);
    expect(metrics.capHeight).toBeCloseTo(0.711, 2);
    expect(metrics.descender).toBeGreaterThan(0.2);
  });

  it('lays out text with advances and kerning, spaces taking room but no glyph', () => {
    const line = layoutLine('AV A', 500);
    expect(line.glyphs).toHaveLength(3);
    expect(line.width).toBeGreaterThan(1.5);
    const [a, v] = line.glyphs;
    // "AV" is kerned: V starts before A's full advance.
    expect(v!.x - a!.x).toBeLessThan(layoutLine('A', 500).width);
    expect(glyphBounds(a!.id).top).toBeLessThan(-0.7); // capital rises about 0.71 em above the baseline
  });

  it('finds Greek and Cyrillic in their subsets and draws a question mark for what none has', () => {
    expect(layoutLine('ж', 500).glyphs[0]!.id).toContain('cyrillic');
    expect(layoutLine('Ω', 700).glyphs[0]!.id).toContain('greek');
    expect(layoutLine('中', 500).glyphs[0]!.id).toBe(layoutLine('?', 500).glyphs[0]!.id);
  });
});
