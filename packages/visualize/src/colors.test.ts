import { describe, expect, it } from 'vitest';
import { contrastingTextColor, contrastRatio, defaultPalette, parseColor, requireColor, resolvePalette, roboflowPalette, stableNameHash } from './colors.js';

describe('parseColor', () => {
  it('reads the formats Roboflow blocks accept', () => {
    expect(parseColor('#FF8000')).toEqual({ r: 255, g: 128, b: 0 });
    expect(parseColor('#f80')).toEqual({ r: 255, g: 136, b: 0 });
    expect(parseColor('rgb(255, 128, 0)')).toEqual({ r: 255, g: 128, b: 0 });
    expect(parseColor('bgr(0, 128, 255)')).toEqual({ r: 255, g: 128, b: 0 });
    expect(parseColor('WHITE')).toEqual({ r: 255, g: 255, b: 255 });
    expect(parseColor('roboflow')).toEqual({ r: 0xa3, g: 0x51, b: 0xfb });
  });

  it('rejects what is not a color, naming the property', () => {
    expect(parseColor('#12345')).toBeUndefined();
    expect(parseColor('rgb(300, 0, 0)')).toBeUndefined();
    expect(parseColor('purple-ish')).toBeUndefined();
    expect(() => requireColor('nope', { stepName: 'viz', property: 'text_color' })).toThrow(
      expect.objectContaining({ name: 'VAD_InvalidInputError', stepName: 'viz', property: 'text_color' }),
    );
  });
});

describe('label text contrast', () => {
  it('picks black on light label colors and white on dark ones', () => {
    expect(contrastingTextColor({ r: 255, g: 255, b: 0 })).toEqual({ r: 0, g: 0, b: 0 });
    expect(contrastingTextColor({ r: 0x53, g: 0x00, b: 0x87 })).toEqual({ r: 255, g: 255, b: 255 });
  });

  it('keeps every color of the default and Roboflow palettes at a contrast of at least 4.5:1 (WCAG AA)', () => {
    for (const hex of [...defaultPalette, ...roboflowPalette]) {
      const background = parseColor(`#${hex}`)!;
      expect(contrastRatio(background, contrastingTextColor(background)), hex).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('palettes', () => {
  it("has supervision's default palette, starting with Roboflow purple", () => {
    const palette = resolvePalette('DEFAULT');
    expect(palette).toHaveLength(21);
    expect(palette[0]).toEqual({ r: 0xa3, g: 0x51, b: 0xfb });
  });

  it('samples continuous palettes at palette_size colors and uses custom colors', () => {
    const turbo = resolvePalette('Matplotlib Turbo', { paletteSize: 5 });
    expect(turbo).toHaveLength(5);
    expect(turbo[0]!.b).toBeGreaterThan(turbo[0]!.r); // dark blue end
    expect(turbo[4]!.r).toBeGreaterThan(turbo[4]!.b); // dark red end
    expect(resolvePalette('CUSTOM', { customColors: ['#000000', 'rgb(1, 2, 3)'] })).toEqual([{ r: 0, g: 0, b: 0 }, { r: 1, g: 2, b: 3 }]);
    expect(() => resolvePalette('CUSTOM', { customColors: [] })).toThrow(/custom_colors is empty/);
  });

  it('hashes class names stably', () => {
    expect(stableNameHash('scratch')).toBe(stableNameHash('scratch'));
    expect(stableNameHash('scratch')).not.toBe(stableNameHash('dent'));
  });
});
