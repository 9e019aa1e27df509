import { createBlockRegistry, createWorkflow, type Detection, type Detections } from '@vad/core';
import { describe, expect, it } from 'vitest';
import { agreeOnConsensus, detectionsConsensus, type ConsensusOptions } from './detections-consensus.js';

const classIds: Record<string, number> = { cat: 0, dog: 1, bird: 2 };
/** A detection from corners, as tests think of boxes. */
const box = (id: string, cls: string, confidence: number, [x1, y1, x2, y2]: number[], parent = 'img'): Detection => ({
  x: (x1! + x2!) / 2, y: (y1! + y2!) / 2, width: x2! - x1!, height: y2! - y1!, confidence, class: cls, class_id: classIds[cls]!, detection_id: id, parent_id: parent,
});
const source = (...predictions: Detection[]): Detections => ({ image: { width: 100, height: 100 }, predictions });
const corners = (p: Detection) => [p.x - p.width / 2, p.y - p.height / 2, p.x + p.width / 2, p.y + p.height / 2];
const expectCorners = (p: Detection | undefined, expected: number[]) => corners(p!).forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 4));

describe('agreeOnConsensus', () => {
  const a = source(box('a1', 'dog', 0.9, [0, 0, 10, 10]), box('a2', 'dog', 0.8, [50, 50, 60, 60]));
  const b = source(box('b1', 'dog', 0.7, [1, 1, 11, 11])); // IoU with a1: 81 / 119 = 0.68
  const c = source(box('c1', 'cat', 0.6, [90, 90, 99, 99]));

  it('keeps a box only when enough sources vote for it, as a new detection of the same parent', () => {
    const two = agreeOnConsensus([a, b, c], { requiredVotes: 2 });
    expect(two.predictions.predictions).toHaveLength(1);
    const [merged] = two.predictions.predictions;
    expectCorners(merged, [0.5, 0.5, 10.5, 10.5]);
    expect(merged).toMatchObject({ class: 'dog', class_id: 1, parent_id: 'img' });
    expect(merged!.confidence).toBeCloseTo(0.8, 10);
    expect(['a1', 'b1']).not.toContain(merged!.detection_id);
    expect(two.predictions.image).toEqual({ width: 100, height: 100 });
    expect(two).toMatchObject({ object_present: true, presence_confidence: { dog: merged!.confidence } });
    expect(agreeOnConsensus([a, b, c], { requiredVotes: 3 })).toMatchObject({ predictions: { predictions: [] }, object_present: false, presence_confidence: {} });
    const one = agreeOnConsensus([a, b, c], { requiredVotes: 1 });
    expect(one.predictions.predictions.map((p) => p.class)).toEqual(['dog', 'dog', 'cat']); // a1+b1 merged, a2 and c1 alone
    expect(agreeOnConsensus([a, b], { requiredVotes: 2, iouThreshold: 0.7 }).predictions.predictions).toEqual([]);
  });

  it('lets boxes of other classes vote only when not class-aware', () => {
    const cat = source(box('b1', 'cat', 0.7, [1, 1, 11, 11]));
    expect(agreeOnConsensus([a, cat], { requiredVotes: 2 }).predictions.predictions).toEqual([]);
    const agnostic = agreeOnConsensus([a, cat], { requiredVotes: 2, classAware: false });
    expect(agnostic.predictions.predictions.map((p) => p.class)).toEqual(['dog']); // a tie goes to the anchor's class
    expect(agnostic.presence_confidence).toEqual({ any_object: agnostic.predictions.predictions[0]!.confidence });
  });

  it('takes the best-overlapping box of each other source and leaves the rest for later groups', () => {
    const twoCandidates = source(box('b1', 'dog', 0.5, [3, 3, 13, 13]), box('b2', 'dog', 0.4, [0, 0, 10, 9]));
    const result = agreeOnConsensus([source(box('a1', 'dog', 0.9, [0, 0, 10, 10])), twoCandidates], { requiredVotes: 1 });
    expect(result.predictions.predictions).toHaveLength(2);
    expectCorners(result.predictions.predictions[0], [0, 0, 10, 9.5]); // a1 with b2 (IoU 0.9), not b1 (0.32)
    expectCorners(result.predictions.predictions[1], [3, 3, 13, 13]); // b1 on its own
  });

  describe('aggregation', () => {
    // Not class-aware, three votes: one group of a dog and two cats of different sizes.
    const group = [source(box('a', 'dog', 0.9, [0, 0, 10, 10])), source(box('b', 'cat', 0.5, [0, 0, 12, 12])), source(box('c', 'cat', 0.6, [1, 1, 9, 9]))];
    const merge = (options: Partial<ConsensusOptions>) => agreeOnConsensus(group, { requiredVotes: 3, classAware: false, ...options }).predictions.predictions[0]!;

    it('merges confidences and classes: average (majority class), max and min (the class of that box)', () => {
      expect(merge({})).toMatchObject({ class: 'cat', class_id: 0 });
      expect(merge({}).confidence).toBeCloseTo(2 / 3, 10);
      expect(merge({ mergeConfidenceAggregation: 'max' })).toMatchObject({ class: 'dog', class_id: 1, confidence: 0.9 });
      expect(merge({ mergeConfidenceAggregation: 'min' })).toMatchObject({ class: 'cat', confidence: 0.5 });
    });

    it('merges coordinates: average corners, the largest box (max) or the smallest (min)', () => {
      expectCorners(merge({}), [1 / 3, 1 / 3, 31 / 3, 31 / 3]);
      expectCorners(merge({ mergeCoordinatesAggregation: 'max' }), [0, 0, 12, 12]);
      expectCorners(merge({ mergeCoordinatesAggregation: 'min' }), [1, 1, 9, 9]);
    });

    it('drops merged boxes below the confidence threshold', () => {
      expect(agreeOnConsensus(group, { requiredVotes: 3, classAware: false, confidence: 0.7 }).predictions.predictions).toEqual([]);
      expect(agreeOnConsensus(group, { requiredVotes: 3, classAware: false, confidence: 0.6 }).predictions.predictions).toHaveLength(1);
    });
  });

  describe('presence', () => {
    // Two sources that agree on two dogs and one cat.
    const boxes = [['dog', 0.9, [0, 0, 10, 10]], ['dog', 0.5, [20, 20, 30, 30]], ['cat', 0.7, [50, 50, 60, 60]]] as const;
    const first = source(...boxes.map(([cls, confidence, at], i) => box(`a${i}`, cls, confidence, [...at])));
    const second = source(...boxes.map(([cls, confidence, at], i) => box(`b${i}`, cls, confidence, [...at])));
    const presence = (options: Partial<ConsensusOptions>) => {
      const { object_present, presence_confidence } = agreeOnConsensus([first, second], { requiredVotes: 2, ...options });
      return { object_present, presence_confidence };
    };

    it('aggregates the merged confidences per class (max by default), or over all boxes when not class-aware', () => {
      expect(presence({})).toEqual({ object_present: true, presence_confidence: { dog: 0.9, cat: 0.7 } });
      expect(presence({ presenceConfidenceAggregation: 'min' }).presence_confidence).toEqual({ dog: 0.5, cat: 0.7 });
      expect(presence({ presenceConfidenceAggregation: 'average' }).presence_confidence.dog).toBeCloseTo(0.7, 10);
      expect(presence({ classAware: false, presenceConfidenceAggregation: 'min' }).presence_confidence).toEqual({ any_object: 0.5 });
    });

    it('needs required_objects merged boxes in all, or per class', () => {
      expect(presence({ requiredObjects: 3 }).object_present).toBe(true);
      expect(presence({ requiredObjects: 4 })).toEqual({ object_present: false, presence_confidence: {} });
      expect(presence({ requiredObjects: { dog: 2 } }).object_present).toBe(true);
      expect(presence({ requiredObjects: { dog: 2, cat: 2 } }).object_present).toBe(false);
      expect(presence({ requiredObjects: { bird: 1 } }).object_present).toBe(false);
      // Not class-aware, the per-class counts add up: 2 + 2 > 3 boxes.
      expect(presence({ classAware: false, requiredObjects: { dog: 2, cat: 2 } }).object_present).toBe(false);
      expect(presence({ classAware: false, requiredObjects: { dog: 2, cat: 1 } })).toEqual({ object_present: true, presence_confidence: { any_object: 0.9 } });
    });

    it('considers only classes_to_consider when given (all when empty)', () => {
      expect(presence({ classesToConsider: ['cat'] })).toEqual({ object_present: true, presence_confidence: { cat: 0.7 } });
      expect(presence({ classesToConsider: [] }).presence_confidence).toEqual({ dog: 0.9, cat: 0.7 });
    });
  });

  it('gives no boxes and no presence for empty sources, and refuses predictions of different images', () => {
    expect(agreeOnConsensus([source(), source()], { requiredVotes: 1 })).toEqual({ predictions: source(), object_present: false, presence_confidence: {} });
    expect(agreeOnConsensus([a, source()], { requiredVotes: 2 })).toMatchObject({ predictions: { predictions: [] }, object_present: false });
    const elsewhere = source(box('x', 'dog', 0.9, [0, 0, 10, 10], 'other'));
    expect(() => agreeOnConsensus([a, elsewhere], { requiredVotes: 2 })).toThrow(/different images/);
  });
});

describe('detectionsConsensus block', () => {
  const registry = createBlockRegistry([detectionsConsensus]);
  const kind = ['object_detection_prediction'];
  const definition = (step: Record<string, unknown>) => ({
    version: '1.0',
    inputs: [
      { type: 'WorkflowParameter' as const, name: 'first', kind },
      { type: 'WorkflowParameter' as const, name: 'second', kind },
    ],
    steps: [{ type: 'DetectionsConsensus', name: 'consensus', ...step }],
    outputs: [{ type: 'JsonField' as const, name: 'result', selector: '$steps.consensus.*' }],
  });
  const first = source(box('a1', 'dog', 0.9, [0, 0, 10, 10]));
  const second = source(box('b1', 'dog', 0.7, [1, 1, 11, 11]));

  it("runs under Roboflow's name, with predictions as another name for predictions_batches", async () => {
    const workflow = createWorkflow(definition({ predictions: ['$inputs.first', '$inputs.second'], required_votes: 2 }), { registry });
    const [record] = (await workflow.run({ inputs: { first, second } })).outputs as Array<{ result: { predictions: Detections; object_present: boolean } }>;
    expect(record!.result.predictions.predictions).toHaveLength(1);
    expect(record!.result.object_present).toBe(true);
  });

  it('requires required_votes and at least one source, and checks the aggregation names', () => {
    expect(() => createWorkflow(definition({ predictions_batches: ['$inputs.first'] }), { registry })).toThrow(/required_votes.*missing required property/);
    expect(() => createWorkflow(definition({ predictions_batches: [], required_votes: 1 }), { registry })).toThrow(/expected at least 1 entry/);
    expect(() => createWorkflow(definition({ predictions_batches: ['$inputs.first'], required_votes: 1, presence_confidence_aggregation: 'median' }), { registry })).toThrow(
      /presence_confidence_aggregation/,
    );
  });
});
