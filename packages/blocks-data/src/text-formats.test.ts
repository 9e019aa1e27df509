import { describe, expect, it } from 'vitest';
import { toCsv, utcIsoTimestamp } from './csv-text.js';
import { parseTemplate, renderTemplate } from './python-format.js';
import { pythonRepr } from './python-text.js';

const format = (template: string, variables: Record<string, unknown>) => renderTemplate(parseTemplate(template), variables);

describe('Python text, as Roboflow\'s blocks write it', () => {
  it('repr: lists, quotes, booleans, None, dictionaries', () => {
    expect(pythonRepr(['dog', 'dog'])).toBe("['dog', 'dog']");
    expect(pythonRepr(["it's", 'a"b', 1, true, null])).toBe(`["it's", 'a"b', 1, True, None]`);
    expect(pythonRepr({ a: [1, 2], b: 'x' })).toBe("{'a': [1, 2], 'b': 'x'}");
  });

  it('CSV as pandas writes it: quoting only where needed, empty nulls, \\n line ends', () => {
    expect(toCsv([{ a: ['x', 'y'], b: 'say "hi"', c: null, d: 2137 }])).toBe('a,b,c,d\n"[\'x\', \'y\']","say ""hi""",,2137\n');
    expect(utcIsoTimestamp(Date.UTC(2024, 9, 18, 14, 9, 57, 622))).toBe('2024-10-18T14:09:57.622000+00:00');
  });

  it('str.format: specs, nesting, braces, conversions', () => {
    expect(format('{a:.2f}|{b:>5}|{b:<4}!|{c:^7}|{n:05d}|{n:+}|{big:,}', { a: 3.14159, b: 'ab', c: 'mid', n: 42, big: 1234567 })).toBe('3.14|   ab|ab  !|  mid  |00042|+42|1,234,567');
    expect(format('{{literal}} {x!r} {x} {v:.{p}f}', { x: 'q', v: 2.5, p: 3 })).toBe("{literal} 'q' q 2.500");
    expect(format('{r:.1%} {e:.2e} {g:g} {h:x}', { r: 0.256, e: 12345.678, g: 0.0001, h: 255 })).toBe('25.6% 1.23e+04 0.0001 ff');
    expect(format('{l}', { l: ['a', 'b'] })).toBe("['a', 'b']");
  });

  it('refuses what Roboflow refuses', () => {
    expect(() => parseTemplate('{}')).toThrow(/positional/);
    expect(() => parseTemplate('{0}')).toThrow(/positional/);
    expect(() => parseTemplate('{a.b}')).toThrow(/attribute or index/);
    expect(() => parseTemplate('{a[0]}')).toThrow(/attribute or index/);
    expect(() => parseTemplate('open { brace')).toThrow(/single '\{'/);
    expect(() => format('{s:d}', { s: 'text' })).toThrow(/unknown format code/);
  });
});
