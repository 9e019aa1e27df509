/**
 * Kinds name the data that flows between blocks. Names follow Roboflow Workflows where one
 * exists, so their definitions compile here; `anomaly_map` is our own.
 */
export const kinds = {
  wildcard: '*',
  image: 'image',
  objectDetectionPrediction: 'object_detection_prediction',
  instanceSegmentationPrediction: 'instance_segmentation_prediction',
  /** Roboflow's instance segmentation with each mask as COCO RLE (`rle_mask`), from roboflow_instance_segmentation_model@v4. */
  rleInstanceSegmentationPrediction: 'rle_instance_segmentation_prediction',
  /** Roboflow's semantic segmentation: one prediction per class present, its mask as COCO RLE (`rle_mask`). */
  semanticSegmentationPrediction: 'semantic_segmentation_prediction',
  classificationPrediction: 'classification_prediction',
  embedding: 'embedding',
  float: 'float',
  floatZeroToOne: 'float_zero_to_one',
  integer: 'integer',
  boolean: 'boolean',
  string: 'string',
  dictionary: 'dictionary',
  listOfValues: 'list_of_values',
  anomalyMap: 'anomaly_map',
  /** A credential (Roboflow's `secret`): a string that should not be logged. */
  secret: 'secret',
} as const;

export type Kind = (typeof kinds)[keyof typeof kinds] | (string & {});

/** Kinds that may be used where another is expected (narrower → wider). */
const widening: Record<string, readonly string[]> = {
  float_zero_to_one: ['float'],
  integer: ['float'],
  secret: ['string'],
};

/** True when a value of kind `actual` may feed a property that accepts `expected`. */
export function isKindCompatible(actual: readonly Kind[], expected: readonly Kind[]): boolean {
  if (expected.includes('*') || actual.includes('*')) return true;
  return actual.some((a) => expected.includes(a) || (widening[a] ?? []).some((w) => expected.includes(w)));
}
