import { pythonRepr, pythonStr } from './python-text.js';

/** Why a template cannot be rendered; the block turns it into an error naming the step. */
export class TemplateError extends Error {}

type Piece = { text: string } | { name: string; conversion: string | undefined; spec: readonly Piece[] };

/**
 * Python's `str.format(**variables)` for named placeholders: `{name}`, `{name!r}`,
 * `{name:>8.2f}` (a spec may itself hold `{other}`), `{{` and `}}` for braces. Positional
 * (`{}`, `{0}`), attribute and index (`{a.b}`, `{a[0]}`) placeholders are refused, as
 * Roboflow's String Template refuses them.
 */
export function parseTemplate(template: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const char = template[i]!;
    if ((char === '{' || char === '}') && template[i + 1] === char) {
      text += char;
      i += 2;
      continue;
    }
    if (char === '}') throw new TemplateError("single '}' encountered in format string (write '}}' for a brace)");
    if (char !== '{') {
      text += char;
      i++;
      continue;
    }
    let depth = 1;
    let j = i + 1;
    while (j < template.length && depth > 0) {
      if (template[j] === '{') depth++;
      else if (template[j] === '}') depth--;
      j++;
    }
    if (depth > 0) throw new TemplateError("single '{' encountered in format string (write '{{' for a brace)");
    if (text) pieces.push({ text });
    text = '';
    pieces.push(parseField(template.slice(i + 1, j - 1)));
    i = j;
  }
  if (text) pieces.push({ text });
  return pieces;
}

function parseField(body: string): Piece {
  const colon = body.indexOf(':');
  const head = colon === -1 ? body : body.slice(0, colon);
  const spec = colon === -1 ? '' : body.slice(colon + 1);
  const bang = head.indexOf('!');
  const name = bang === -1 ? head : head.slice(0, bang);
  const conversion = bang === -1 ? undefined : head.slice(bang + 1);
  if (name === '' || /^\d+$/.test(name)) throw new TemplateError('positional placeholders are not supported; use named placeholders, e.g. {variable_name}');
  if (/[.[]/.test(name)) throw new TemplateError(`attribute or index access is not supported in placeholders (got {${name}}); use data operations to extract nested values`);
  if (conversion !== undefined && !['r', 's', 'a'].includes(conversion)) throw new TemplateError(`unknown conversion "!${conversion}" in {${body}}`);
  return { name, conversion, spec: spec.includes('{') ? parseTemplate(spec) : spec ? [{ text: spec }] : [] };
}

/** Every name the template refers to, those inside format specs included. */
export function placeholderNames(pieces: readonly Piece[]): Set<string> {
  const names = new Set<string>();
  for (const piece of pieces) {
    if ('text' in piece) continue;
    names.add(piece.name);
    for (const name of placeholderNames(piece.spec)) names.add(name);
  }
  return names;
}

export function renderTemplate(pieces: readonly Piece[], variables: Readonly<Record<string, unknown>>): string {
  return pieces
    .map((piece) => {
      if ('text' in piece) return piece.text;
      const value = variables[piece.name];
      const spec = renderTemplate(piece.spec, variables);
      if (piece.conversion === 'r' || piece.conversion === 'a') return formatValue(pythonRepr(value), spec);
      if (piece.conversion === 's') return formatValue(pythonStr(value), spec);
      return formatValue(value, spec);
    })
    .join('');
}

const specPattern = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

/** Python's format-spec mini-language for strings and numbers. */
function formatValue(value: unknown, spec: string): string {
  if (spec === '') return pythonStr(value);
  const match = specPattern.exec(spec);
  if (!match) throw new TemplateError(`invalid format specifier "${spec}"`);
  const [, fillGiven, alignGiven, sign = '-', alternate, zero, widthText, grouping, precisionText, type] = match;
  const width = widthText ? Number(widthText) : 0;
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  const fill = fillGiven ?? (zero && !alignGiven ? '0' : ' ');
  if (typeof value === 'string' || typeof value !== 'number') {
    if (typeof value !== 'string' && type !== undefined && type !== 's') throw new TemplateError(`format code "${type}" needs a number, got ${pythonRepr(value)}`);
    if (typeof value === 'string' && type !== undefined && type !== 's') throw new TemplateError(`unknown format code "${type}" for a string`);
    const text = precision === undefined ? pythonStr(value) : [...pythonStr(value)].slice(0, precision).join('');
    return pad(text, width, fill, alignGiven ?? '<');
  }
  const negative = value < 0 || Object.is(value, -0);
  let digits = formatNumber(Math.abs(value), type, precision, alternate !== undefined);
  if (grouping) digits = group(digits, grouping);
  const signText = negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
  const align = alignGiven ?? (zero ? '=' : '>');
  if (align === '=') return signText + pad(digits, width - signText.length, fill, '>');
  return pad(signText + digits, width, fill, align);
}

function formatNumber(value: number, type: string | undefined, precision: number | undefined, alternate: boolean): string {
  const prefix = (p: string) => (alternate ? p : '');
  switch (type) {
    case 'd': case 'n':
      if (!Number.isInteger(value)) throw new TemplateError(`format code "${type}" needs an integer, got ${value}`);
      return String(value);
    case 'b': return prefix('0b') + integer(value, type).toString(2);
    case 'o': return prefix('0o') + integer(value, type).toString(8);
    case 'x': return prefix('0x') + integer(value, type).toString(16);
    case 'X': return prefix('0X') + integer(value, type).toString(16).toUpperCase();
    case 'c': return String.fromCodePoint(integer(value, type));
    case 'f': case 'F': return value.toFixed(precision ?? 6);
    case 'e': case 'E': {
      const text = value.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      return type === 'E' ? text.toUpperCase() : text;
    }
    case '%': return `${(value * 100).toFixed(precision ?? 6)}%`;
    case 'g': case 'G': {
      const text = generalFormat(value, precision ?? 6);
      return type === 'G' ? text.toUpperCase() : text;
    }
    default: return precision === undefined ? String(value) : generalFormat(value, precision || 1);
  }
}

function integer(value: number, type: string): number {
  if (!Number.isInteger(value)) throw new TemplateError(`format code "${type}" needs an integer, got ${value}`);
  return value;
}

/** `g`: precision significant digits, fixed or exponent notation by Python's rule, trailing zeros dropped. */
function generalFormat(value: number, precision: number): string {
  const p = Math.max(precision, 1);
  if (value === 0) return '0';
  const exponent = Math.floor(Math.log10(Number(value.toPrecision(p))));
  if (exponent < -4 || exponent >= p) {
    return value.toExponential(p - 1).replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2');
  }
  const fixed = value.toFixed(Math.max(p - 1 - exponent, 0));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

function group(digits: string, separator: string): string {
  const [whole, fraction] = digits.split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

function pad(text: string, width: number, fill: string, align: string): string {
  const missing = width - [...text].length;
  if (missing <= 0) return text;
  if (align === '<') return text + fill.repeat(missing);
  if (align === '^') return fill.repeat(Math.floor(missing / 2)) + text + fill.repeat(Math.ceil(missing / 2));
  return fill.repeat(missing) + text;
}
