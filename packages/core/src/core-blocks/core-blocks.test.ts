import { describe, expect, it } from 'vitest';
import { createBlockRegistry } from '../registry.js';
import { createWorkflow } from '../workflow.js';
import { coreBlocks } from './index.js';
import { makePng } from '../__fixtures__/test-blocks.js';
import type { Detections } from '../values.js';
import type { WorkflowDefinition } from '../definition.js';
import { defineBlock } from '../blocks.js';

const detections: Detections = {
  image: { width: 100, height: 100 },
  predictions: [
    { x: 10, y: 10, width: 4, height: 6, confidence: 0.9, class: 'scratch', class_id: 0, detection_id: 'a', parent_id: 'p' },
    { x: 50, y: 50, width: 10, height: 10, confidence: 0.4, class: 'dent', class_id: 1, detection_id: 'b', parent_id: 'p' },
  ],
};
const source = defineBlock({
  specificationVersion: 'v1',
  type: 'test/detections@v1',
  title: 'Detections',
  description: 'Fixed detections',
  manifest: {},
  outputs: { predictions: { kinds: ['object_detection_prediction'] } },
  create: () => ({ run: () => ({ predictions: detections }) }),
});
const registry = createBlockRegistry([...coreBlocks(), source]);

describe('core blocks', () => {
  it('property definition counts detections and extracts their properties (Roboflow names)', async () => {
    const workflow = createWorkflow(
      {
        version: '1.0',
        inputs: [],
        steps: [
          { type: 'test/detections@v1', name: 'model' },
          { type: 'roboflow_core/property_definition@v1', name: 'count', data: '$steps.model.predictions', operations: [{ type: 'SequenceLength' }] },
          { type: 'roboflow_core/property_definition@v1', name: 'classes', data: '$steps.model.predictions', operations: [{ type: 'DetectionsPropertyExtract', property_name: 'class_name' }] },
          { type: 'vad/property_definition@v1', name: 'area', data: '$steps.model.predictions', operations: [{ type: 'DetectionsPropertyExtract', property_name: 'size' }] },
        ],
        outputs: [
          { type: 'JsonField', name: 'count', selector: '$steps.count.output' },
          { type: 'JsonField', name: 'classes', selector: '$steps.classes.output' },
          { type: 'JsonField', name: 'area', selector: '$steps.area.output' },
        ],
      },
      { registry },
    );
    expect((await workflow.run({ inputs: {} })).outputs).toEqual([{ count: 2, classes: ['scratch', 'dent'], area: [24, 100] }]);
    expect(() =>
      createWorkflow(
        { inputs: [], steps: [{ type: 'vad/property_definition@v1', name: 'p', data: '$steps.m.predictions', operations: [{ type: 'Frobnicate' }] }, { type: 'test/detections@v1', name: 'm' }], outputs: [] },
        { registry },
      ),
    ).toThrow(/step "p", property "operations": invalid value/);
  });

  it('image resize and absolute static crop produce images of the asked size; the crop knows its parent', async () => {
    const workflow = createWorkflow(
      {
        inputs: [{ type: 'WorkflowImage', name: 'image' }],
        steps: [
          { type: 'vad/image_resize@v1', name: 'resize', image: '$inputs.image', width: 64, height: 48 },
          { type: 'roboflow_core/absolute_static_crop@v1', name: 'crop', images: '$steps.resize.image', x_center: 32, y_center: 24, width: 20, height: 10 },
        ],
        outputs: [{ type: 'JsonField', name: 'crop', selector: '$steps.crop.crops' }, { type: 'JsonField', name: 'resized', selector: '$steps.resize.image' }],
      },
      { registry },
    );
    const [record] = (await workflow.run({ inputs: { image: await makePng(200, 100) } })).outputs as Array<Record<string, { width: number; height: number; id: string; lineage?: { offsetX: number; offsetY: number; parentId: string } }>>;
    expect([record!.resized!.width, record!.resized!.height]).toEqual([64, 48]);
    expect([record!.crop!.width, record!.crop!.height]).toEqual([20, 10]);
    expect(record!.crop!.lineage).toMatchObject({ offsetX: 22, offsetY: 19, parentId: record!.resized!.id });
  });

  it('detections transformation filters by a parameter and keeps the largest; expression turns it into PASS / FAIL', async () => {
    const definition = (expected: string): WorkflowDefinition => ({
      version: '1.0',
      inputs: [
        { type: 'WorkflowParameter', name: 'threshold', default_value: 0.3 },
        { type: 'WorkflowParameter', name: 'expected', default_value: expected },
      ],
      steps: [
        { type: 'test/detections@v1', name: 'model' },
        {
          type: 'DetectionsTransformation',
          name: 'largest',
          predictions: '$steps.model.predictions',
          operations: [
            {
              type: 'DetectionsFilter',
              filter_operation: {
                type: 'StatementGroup',
                statements: [{ type: 'BinaryStatement', left_operand: { type: 'DynamicOperand', operations: [{ type: 'ExtractDetectionProperty', property_name: 'confidence' }] }, comparator: { type: '(Number) >=' }, right_operand: { type: 'DynamicOperand', operand_name: 'threshold' } }],
              },
            },
            { type: 'SortDetections', mode: 'size', ascending: false },
            { type: 'DetectionsSelection', mode: 'first' },
          ],
          operations_parameters: { threshold: '$inputs.threshold' },
        },
        {
          type: 'Expression',
          name: 'verdict',
          data: { predictions: '$steps.largest.predictions', expected: '$inputs.expected' },
          data_operations: { predictions: [{ type: 'DetectionsPropertyExtract', property_name: 'class_name' }] },
          switch: {
            type: 'CasesDefinition',
            cases: [
              {
                type: 'CaseDefinition',
                condition: { type: 'StatementGroup', statements: [{ type: 'BinaryStatement', left_operand: { type: 'DynamicOperand', operand_name: 'expected' }, comparator: { type: 'in (Sequence)' }, right_operand: { type: 'DynamicOperand', operand_name: 'predictions' } }] },
                result: { type: 'StaticCaseResult', value: 'PASS' },
              },
            ],
            default: { type: 'DynamicCaseResult', parameter_name: 'predictions', operations: [{ type: 'SequenceLength' }] },
          },
        },
      ],
      outputs: [
        { type: 'JsonField', name: 'largest', selector: '$steps.largest.predictions' },
        { type: 'JsonField', name: 'verdict', selector: '$steps.verdict.output' },
      ],
    });
    const run = async (expected: string, threshold?: number) => {
      const workflow = createWorkflow(definition(expected), { registry });
      const [record] = (await workflow.run({ inputs: threshold === undefined ? {} : { threshold } })).outputs;
      return { ids: (record!.largest as Detections).predictions.map((d) => d.detection_id), verdict: record!.verdict };
    };
    expect(await run('dent')).toEqual({ ids: ['b'], verdict: 'PASS' }); // the dent is larger and above 0.3
    expect(await run('dent', 0.5)).toEqual({ ids: ['a'], verdict: 1 }); // only the scratch is left: the default counts it
  });
});
