import { InvalidInputError } from '../errors.js';
import { VadImage } from '../image.js';
import { roundHalfEven } from '../round-half-even.js';
import { isClassification, isDetections, type Classification, type Detection, type Detections } from '../values.js';
import { corners, detectionProperty, moveCorners } from './detection-properties.js';
import { frameMetadataProperty } from './frame-metadata.js';
import type { Operation } from './schema.js';
import { evaluateStatement } from './statements.js';

/** Named values an operation may refer to (DetectionsRename's class_map by name; DetectionsFilter's statement operands). */
export type Parameters = Readonly<Record<string, unknown>>;

/**
 * Applies a chain of operations in order. `where` names the chain in errors (e.g. `operations`);
 * a failing operation says which one (`operations[1] (SortDetections)`) and what it was given.
 */
export function applyOperations(value: unknown, operations: readonly Operation[], parameters: Parameters = {}, where = 'operations'): unknown {
  return operations.reduce<unknown>((current, operation, index) => apply(current, operation, parameters, `${where}[${index}] (${operation.type})`), value);
}

/** Python's `str()` for the scalars Roboflow's ToString sees most; structures as JSON. */
export function pythonString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (VadImage.isImage(value)) return `image ${value.id} (${value.width}x${value.height})`;
  return JSON.stringify(value);
}

function apply(value: unknown, op: Operation, parameters: Parameters, where: string): unknown {
  const fail = (expected: string): never => {
    throw new InvalidInputError({ message: `${where} needs ${expected}, got ${describe(value)}` });
  };
  switch (op.type) {
    case 'StringToLowerCase': return typeof value === 'string' ? value.toLowerCase() : fail('a string');
    case 'StringToUpperCase': return typeof value === 'string' ? value.toUpperCase() : fail('a string');
    case 'ToString': return pythonString(value);
    case 'ToBoolean': return typeof value === 'number' || typeof value === 'boolean' ? Boolean(value) : fail('a number');
    case 'LookupTable': return lookup(op.lookup_table, value, where);
    case 'SequenceMap': return Array.isArray(value) ? value.map((item) => lookup(op.lookup_table, item, where)) : fail('a list');
    case 'ToNumber': return toNumber(value, op.cast_to) ?? fail('a number, a boolean or a numeric string');
    case 'NumberRound': return typeof value === 'number' ? roundHalfEven(value, op.decimal_digits) : fail('a number');
    case 'Multiply': return typeof value === 'number' ? value * op.other : fail('a number');
    case 'Divide':
      if (typeof value !== 'number') return fail('a number');
      if (op.other === 0) throw new InvalidInputError({ message: `${where}: division by zero` });
      return value / op.other;
    case 'StringSubSequence': return typeof value === 'string' ? pythonSlice(value, op.start, op.end) : fail('a string');
    case 'StringMatches': return typeof value === 'string' ? new RegExp(`^(?:${op.regex})`).test(value) : fail('a string');
    case 'SequenceLength':
      if (isDetections(value)) return value.predictions.length;
      if (Array.isArray(value) || typeof value === 'string') return value.length;
      if (value && typeof value === 'object' && !VadImage.isImage(value)) return Object.keys(value).length;
      return fail('detections, a list, a string or a dictionary');
    case 'SequenceJoin': return Array.isArray(value) ? value.map(pythonString).join(op.separator) : fail('a list');
    case 'SequenceElementsCount': return Array.isArray(value) ? countElements(value) : fail('a list');
    case 'SequenceAggregate': return Array.isArray(value) ? aggregate(value, op.mode, where) : fail('a list');
    case 'NumericSequenceAggregate':
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'number')) return fail('a list of numbers');
      if (value.length === 0) return op.neutral_value ?? null;
      return op.function === 'min' ? Math.min(...(value as number[])) : Math.max(...(value as number[]));
    case 'SequenceApply': {
      const items = isDetections(value) ? value.predictions : Array.isArray(value) ? value : fail('a list or detections');
      return items.map((item, index) => applyOperations(item, op.operations, parameters, `${where}[${index}].operations`));
    }
    case 'RandomNumber': return op.min_value + Math.random() * (op.max_value - op.min_value);
    case 'DetectionsPropertyExtract': return isDetections(value) ? value.predictions.map((d) => detectionProperty(d, op.property_name)) : fail('detections');
    case 'ExtractDetectionProperty': return isDetection(value) ? detectionProperty(value, op.property_name) : fail('one detection (inside DetectionsFilter or SequenceApply)');
    case 'DetectionsFilter': {
      if (!isDetections(value)) return fail('detections');
      const kept = value.predictions.filter((detection) => evaluateStatement(op.filter_operation, { ...parameters, _: detection }, `${where}.filter_operation`));
      return { ...value, predictions: kept };
    }
    case 'DetectionsSelection': return isDetections(value) ? { ...value, predictions: select(value.predictions, op.mode) } : fail('detections');
    case 'SortDetections': return isDetections(value) ? { ...value, predictions: sortDetections(value.predictions, op.mode, op.ascending) } : fail('detections');
    case 'DetectionsOffset':
      if (!isDetections(value)) return fail('detections');
      return { ...value, predictions: value.predictions.map((d) => moveCorners(d, [-op.offset_x / 2, -op.offset_y / 2, op.offset_x / 2, op.offset_y / 2])) };
    case 'DetectionsShift':
      if (!isDetections(value)) return fail('detections');
      return { ...value, predictions: value.predictions.map((d) => moveCorners(d, [op.shift_x, op.shift_y, op.shift_x, op.shift_y])) };
    case 'DetectionsRename': return isDetections(value) ? rename(value, op, parameters, where) : fail('detections');
    case 'DetectionsToDictionary': return isDetections(value) ? { image: value.image, predictions: value.predictions } : fail('detections');
    case 'ConvertDictionaryToJSON': return value && typeof value === 'object' && !Array.isArray(value) ? JSON.stringify(value) : fail('a dictionary');
    case 'ClassificationPropertyExtract': return isClassification(value) ? classificationProperty(value, op.property_name) : fail('a classification');
    case 'ClassificationFilter': return isClassification(value) ? filterClassification(value, op.filter_operation, parameters, where) : fail('a classification');
    case 'ExtractClassificationPredictionProperty':
      if (!isClassCandidate(value)) return fail('one class of a classification (inside ClassificationFilter)');
      return op.property_name === 'class_name' ? value.class : value[op.property_name];
    case 'ExtractImageProperty': {
      if (!VadImage.isImage(value)) return fail('an image');
      const { width, height } = value;
      return op.property_name === 'size' ? width * height : op.property_name === 'height' ? height : op.property_name === 'width' ? width : width / height;
    }
    case 'ExtractFrameMetadata': return VadImage.isImage(value) ? frameMetadataProperty(value, op.property_name, where) : fail('an image');
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (isDetections(value)) return `detections (${value.predictions.length})`;
  if (isClassification(value)) return 'a classification';
  if (VadImage.isImage(value)) return 'an image';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  const text = JSON.stringify(value);
  return `${typeof value === 'object' ? 'a dictionary' : `a ${typeof value}`} ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

function isDetection(value: unknown): value is Detection {
  return typeof value === 'object' && value !== null && typeof (value as Detection).x === 'number' && typeof (value as Detection).width === 'number' && 'class' in value;
}

/** One class of a classification, as ClassificationFilter hands it to its statement. */
interface ClassCandidate {
  class: string;
  class_id: number;
  confidence: number;
}
function isClassCandidate(value: unknown): value is ClassCandidate {
  return typeof value === 'object' && value !== null && typeof (value as ClassCandidate).class === 'string' && typeof (value as ClassCandidate).confidence === 'number';
}

function lookup(table: Readonly<Record<string, unknown>>, key: unknown, where: string): unknown {
  const name = typeof key === 'string' ? key : pythonString(key);
  if (!Object.hasOwn(table, name)) throw new InvalidInputError({ message: `${where}: ${JSON.stringify(name)} is not in the lookup table (it has: ${Object.keys(table).join(', ')})` });
  return table[name];
}

function toNumber(value: unknown, castTo: 'int' | 'float'): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (Number.isNaN(number)) return undefined;
  return castTo === 'int' ? Math.trunc(number) : number;
}

/** Python's `value[start:end]`, negative indices counting from the end. */
function pythonSlice(value: string, start: number, end: number): string {
  const at = (index: number) => (index < 0 ? Math.max(0, value.length + index) : Math.min(index, value.length));
  return value.slice(at(start), at(end));
}

/** Elements by how often they occur, most first; ties keep first-seen order (Python's Counter). */
function byFrequency(values: readonly unknown[]): unknown[] {
  const counts = new Map<string, { value: unknown; count: number }>();
  for (const value of values) {
    const key = JSON.stringify(value);
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { value, count: 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count).map((entry) => entry.value);
}

function countElements(values: readonly unknown[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[pythonString(value)] = (counts[pythonString(value)] ?? 0) + 1;
  return counts;
}

function aggregate(values: readonly unknown[], mode: 'first' | 'last' | 'most_common' | 'least_common', where: string): unknown {
  if (values.length === 0) throw new InvalidInputError({ message: `${where}: an empty list cannot be aggregated` });
  if (mode === 'first') return values[0];
  if (mode === 'last') return values.at(-1);
  const ordered = byFrequency(values);
  return mode === 'most_common' ? ordered[0] : ordered.at(-1);
}

function select(predictions: readonly Detection[], mode: 'left_most' | 'right_most' | 'top_confidence' | 'first' | 'last'): Detection[] {
  if (predictions.length === 0) return [];
  if (mode === 'first') return [predictions[0]!];
  if (mode === 'last') return [predictions.at(-1)!];
  const key = (d: Detection) => (mode === 'top_confidence' ? -d.confidence : mode === 'left_most' ? d.x : -d.x);
  // Ties: the first for left_most and top_confidence, the last for right_most (as Roboflow's argwhere picks).
  let best = predictions[0]!;
  for (const d of predictions) if (key(d) < key(best) || (mode === 'right_most' && key(d) === key(best))) best = d;
  return [best];
}

function sortDetections(predictions: readonly Detection[], mode: string, ascending: boolean): Detection[] {
  const key = (d: Detection): number => {
    const { x1, y1, x2, y2 } = corners(d);
    const keys: Record<string, number> = { confidence: d.confidence, x_min: x1, x_max: x2, y_min: y1, y_max: y2, size: d.width * d.height, center_x: d.x, center_y: d.y };
    return keys[mode]!;
  };
  const sorted = predictions.map((d, index) => ({ d, index, key: key(d) })).sort((a, b) => a.key - b.key || a.index - b.index).map((entry) => entry.d);
  return ascending ? sorted : sorted.reverse();
}

function rename(detections: Detections, op: Extract<Operation, { type: 'DetectionsRename' }>, parameters: Parameters, where: string): Detections {
  const named = (value: unknown, what: string) => {
    if (typeof value !== 'string') return value;
    if (!(value in parameters)) throw new InvalidInputError({ message: `${where}: ${what} names the parameter "${value}", which is not given` });
    return parameters[value];
  };
  const classMap = named(op.class_map, 'class_map');
  const strict = named(op.strict, 'strict');
  if (typeof classMap !== 'object' || classMap === null || Array.isArray(classMap)) throw new InvalidInputError({ message: `${where}: class_map must be a dictionary of class names` });
  if (typeof strict !== 'boolean') throw new InvalidInputError({ message: `${where}: strict must be true or false` });
  const map = classMap as Record<string, string>;
  let ids: Map<string, number>;
  if (strict) {
    const missing = detections.predictions.find((d) => !Object.hasOwn(map, d.class));
    if (missing) throw new InvalidInputError({ message: `${where}: class "${missing.class}" is not in class_map (strict)` });
    ids = new Map([...new Set(Object.values(map))].sort().map((name, id) => [name, id]));
  } else {
    ids = new Map(detections.predictions.map((d) => [d.class, d.class_id]));
    let next = op.new_classes_id_offset;
    for (const name of [...new Set(Object.values(map))].filter((name) => !ids.has(name)).sort()) ids.set(name, next++);
  }
  return {
    ...detections,
    predictions: detections.predictions.map((d) => {
      const name = map[d.class] ?? d.class;
      return { ...d, class: name, class_id: ids.get(name)! };
    }),
  };
}

function classificationProperty(c: Classification, property: string): unknown {
  const single = Array.isArray(c.predictions);
  const byId = single ? (c.predictions as { class: string; class_id: number; confidence: number }[]) : Object.entries(c.predictions).map(([name, s]) => ({ class: name, ...s })).sort((a, b) => a.class_id - b.class_id);
  switch (property) {
    case 'top_class': return 'top' in c ? c.top : c.predicted_classes;
    case 'top_class_confidence': return 'top' in c ? c.confidence : c.predicted_classes.map((name) => c.predictions[name]!.confidence);
    case 'top_class_confidence_single':
      return 'top' in c ? c.confidence : Math.max(0, ...c.predicted_classes.map((name) => c.predictions[name]!.confidence));
    case 'all_classes': return byId.map((p) => p.class);
    default: return byId.map((p) => p.confidence);
  }
}

/**
 * Keeps the classes whose statement holds. Single-label: the kept entries, with top and
 * confidence recomputed (`""` and 0 when none is left). Multi-label: the kept predicted classes;
 * every class's score stays in `predictions`.
 */
function filterClassification(c: Classification, filter: Extract<Operation, { type: 'ClassificationFilter' }>['filter_operation'], parameters: Parameters, where: string): Classification {
  const keeps = (candidate: ClassCandidate) => evaluateStatement(filter, { ...parameters, _: candidate }, `${where}.filter_operation`);
  if ('top' in c) {
    const kept = c.predictions.filter(keeps);
    const best = kept.reduce<ClassCandidate | undefined>((top, p) => (!top || p.confidence > top.confidence ? p : top), undefined);
    return { ...c, predictions: kept, top: best?.class ?? '', confidence: best?.confidence ?? 0 };
  }
  return { ...c, predicted_classes: c.predicted_classes.filter((name) => keeps({ class: name, ...c.predictions[name]! })) };
}
