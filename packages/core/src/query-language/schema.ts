import { z } from 'zod';
import { frameMetadataProperties, type FrameMetadataProperty } from './frame-metadata.js';

/**
 * Roboflow's query language (their "UQL"), as workflow definitions write it: operations that
 * transform a value (`operations: [...]`) and statements that test values (`StatementGroup`,
 * `BinaryStatement`, `UnaryStatement`). Names, parameters and defaults are theirs; an operation,
 * comparator or property vad does not implement is refused when the workflow compiles, naming it.
 */

export const detectionProperties = [
  'confidence', 'class_name', 'class_id', 'x_min', 'x_max', 'y_min', 'y_max', 'size', 'center',
  'top_left', 'top_right', 'bottom_left', 'bottom_right', 'tracker_id', 'time_in_zone', 'velocity',
  'speed', 'smoothed_velocity', 'smoothed_speed', 'path_deviation', 'in_out', 'polygon',
] as const;
export type DetectionProperty = (typeof detectionProperties)[number];

const detectionsSortProperties = ['confidence', 'x_min', 'x_max', 'y_min', 'y_max', 'size', 'center_x', 'center_y'] as const;
const classificationProperties = ['top_class', 'top_class_confidence', 'top_class_confidence_single', 'all_classes', 'all_confidences'] as const;

const op = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), ...shape });

export type Operation =
  | { type: 'StringToLowerCase' } | { type: 'StringToUpperCase' } | { type: 'ToString' } | { type: 'ToBoolean' }
  | { type: 'LookupTable'; lookup_table: Record<string, unknown> } | { type: 'SequenceMap'; lookup_table: Record<string, unknown> }
  | { type: 'ToNumber'; cast_to: 'int' | 'float' } | { type: 'NumberRound'; decimal_digits: number }
  | { type: 'Multiply'; other: number } | { type: 'Divide'; other: number }
  | { type: 'StringSubSequence'; start: number; end: number } | { type: 'StringMatches'; regex: string }
  | { type: 'SequenceLength' } | { type: 'SequenceElementsCount' } | { type: 'SequenceJoin'; separator: string }
  | { type: 'SequenceAggregate'; mode: 'first' | 'last' | 'most_common' | 'least_common' }
  | { type: 'NumericSequenceAggregate'; function: 'min' | 'max'; neutral_value?: unknown }
  | { type: 'SequenceApply'; operations: Operation[] }
  | { type: 'RandomNumber'; min_value: number; max_value: number }
  | { type: 'DetectionsPropertyExtract'; property_name: DetectionProperty }
  | { type: 'ExtractDetectionProperty'; property_name: DetectionProperty }
  | { type: 'DetectionsFilter'; filter_operation: Statement }
  | { type: 'DetectionsSelection'; mode: 'left_most' | 'right_most' | 'top_confidence' | 'first' | 'last' }
  | { type: 'SortDetections'; mode: (typeof detectionsSortProperties)[number]; ascending: boolean }
  | { type: 'DetectionsOffset'; offset_x: number; offset_y: number } | { type: 'DetectionsShift'; shift_x: number; shift_y: number }
  | { type: 'DetectionsRename'; class_map: Record<string, string> | string; strict: boolean | string; new_classes_id_offset: number }
  | { type: 'DetectionsToDictionary' } | { type: 'ConvertDictionaryToJSON' }
  | { type: 'ClassificationPropertyExtract'; property_name: (typeof classificationProperties)[number] }
  | { type: 'ClassificationFilter'; filter_operation: Statement }
  | { type: 'ExtractClassificationPredictionProperty'; property_name: 'class_name' | 'class_id' | 'confidence' }
  | { type: 'ExtractImageProperty'; property_name: 'size' | 'height' | 'width' | 'aspect_ratio' }
  | { type: 'ExtractFrameMetadata'; property_name: FrameMetadataProperty };

export const operation: z.ZodType<Operation, unknown> = z.lazy(() =>
  z.discriminatedUnion('type', [
    op('StringToLowerCase', {}),
    op('StringToUpperCase', {}),
    op('ToString', {}),
    op('ToBoolean', {}),
    op('LookupTable', { lookup_table: z.record(z.string(), z.unknown()) }),
    op('SequenceMap', { lookup_table: z.record(z.string(), z.unknown()) }),
    op('ToNumber', { cast_to: z.enum(['int', 'float']) }),
    op('NumberRound', { decimal_digits: z.number().int().min(0).max(15) }),
    op('Multiply', { other: z.number() }),
    op('Divide', { other: z.number() }),
    op('StringSubSequence', { start: z.number().int().default(0), end: z.number().int().default(-1) }),
    op('StringMatches', { regex: z.string() }),
    op('SequenceLength', {}),
    op('SequenceElementsCount', {}),
    op('SequenceJoin', { separator: z.string().default(',') }),
    op('SequenceAggregate', { mode: z.enum(['first', 'last', 'most_common', 'least_common']) }),
    op('NumericSequenceAggregate', { function: z.enum(['min', 'max']), neutral_value: z.unknown().optional() }),
    op('SequenceApply', { operations: z.array(operation) }),
    op('RandomNumber', { min_value: z.number().default(0), max_value: z.number().default(1) }),
    op('DetectionsPropertyExtract', { property_name: z.enum(detectionProperties) }),
    op('ExtractDetectionProperty', { property_name: z.enum(detectionProperties) }),
    op('DetectionsFilter', { filter_operation: statement }),
    op('DetectionsSelection', { mode: z.enum(['left_most', 'right_most', 'top_confidence', 'first', 'last']) }),
    op('SortDetections', { mode: z.enum(detectionsSortProperties), ascending: z.boolean().default(true) }),
    op('DetectionsOffset', { offset_x: z.number().int(), offset_y: z.number().int() }),
    op('DetectionsShift', { shift_x: z.number().int(), shift_y: z.number().int() }),
    op('DetectionsRename', {
      class_map: z.union([z.record(z.string(), z.string()), z.string()]),
      strict: z.union([z.boolean(), z.string()]).default(true),
      new_classes_id_offset: z.number().int().default(1024),
    }),
    op('DetectionsToDictionary', {}),
    op('ConvertDictionaryToJSON', {}),
    op('ClassificationPropertyExtract', { property_name: z.enum(classificationProperties) }),
    op('ClassificationFilter', { filter_operation: statement }),
    op('ExtractClassificationPredictionProperty', { property_name: z.enum(['class_name', 'class_id', 'confidence']) }),
    op('ExtractImageProperty', { property_name: z.enum(['size', 'height', 'width', 'aspect_ratio']) }),
    op('ExtractFrameMetadata', { property_name: z.enum(frameMetadataProperties) }),
  ]),
);

export const binaryComparatorNames = [
  '==', '!=', '(Number) ==', '(Number) !=', '(Number) >', '(Number) >=', '(Number) <', '(Number) <=',
  '(String) startsWith', '(String) endsWith', '(String) contains', 'in (Sequence)', 'in', 'any in (Sequence)', 'all in (Sequence)',
  '(Detection) in zone',
] as const;
export const unaryOperatorNames = [
  'Exists', 'DoesNotExist', '(Boolean) is True', '(Boolean) is False', 'IsTrue', 'IsFalse', '(Sequence) is empty', '(Sequence) is not empty',
] as const;

export type Operand = { type: 'StaticOperand'; value: unknown; operations: Operation[] } | { type: 'DynamicOperand'; operand_name: string; operations: Operation[] };
export type Statement =
  | { type: 'BinaryStatement'; left_operand: Operand; comparator: { type: (typeof binaryComparatorNames)[number] }; right_operand: Operand; negate: boolean }
  | { type: 'UnaryStatement'; operand: Operand; operator: { type: (typeof unaryOperatorNames)[number] }; negate: boolean }
  | { type: 'StatementGroup'; statements: Statement[]; operator: 'and' | 'or' };

const operand: z.ZodType<Operand, unknown> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('StaticOperand'), value: z.unknown(), operations: z.array(operation).default([]) }),
    z.object({ type: z.literal('DynamicOperand'), operand_name: z.string().default('_'), operations: z.array(operation).default([]) }),
  ]),
);

export const statement: z.ZodType<Statement, unknown> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({
      type: z.literal('BinaryStatement'),
      left_operand: operand,
      comparator: z.object({ type: z.enum(binaryComparatorNames) }),
      right_operand: operand,
      negate: z.boolean().default(false),
    }),
    z.object({ type: z.literal('UnaryStatement'), operand, operator: z.object({ type: z.enum(unaryOperatorNames) }), negate: z.boolean().default(false) }),
    z.object({ type: z.literal('StatementGroup'), statements: z.array(statement).min(1), operator: z.enum(['and', 'or']).default('or') }),
  ]),
);
