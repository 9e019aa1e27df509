import { z } from 'zod';
import { defineBlock, field } from '../blocks.js';
import { InvalidInputError } from '../errors.js';
import { kinds } from '../kinds.js';
import { applyOperations, operation } from '../query-language/index.js';
import { isDetections, type Detections } from '../values.js';

const detectionKinds = [kinds.objectDetectionPrediction, 'instance_segmentation_prediction', 'keypoint_detection_prediction'];

/**
 * Roboflow's detections_transformation: detections put through query-language operations
 * (filter, sort, select, offset, shift, rename) and returned as detections.
 * `operations_parameters` are the names the operations refer to.
 */
export const detectionsTransformation = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/detections_transformation@v1',
  aliases: ['roboflow_core/detections_transformation@v1', 'DetectionsTransformation'],
  title: 'Detections Transformation',
  description: 'Filters, sorts, selects, moves, resizes or renames detections with a chain of query-language operations.',
  manifest: {
    predictions: field.selector<Detections>(detectionKinds, { description: 'the detections to transform' }),
    operations: field.literal(z.array(operation).min(1), { description: 'Roboflow query-language operations, applied in order' }),
    operations_parameters: field.dictionary(z.unknown(), ['*'], { description: 'values the operations name (e.g. a threshold)' }),
  },
  outputs: { predictions: { kinds: detectionKinds } },
  create: ({ properties, stepName }) => {
    const operations = properties.operations ?? [];
    return {
      run: ({ predictions, operations_parameters }) => {
        const result = applyOperations(predictions, operations, operations_parameters ?? {});
        if (!isDetections(result)) {
          throw new InvalidInputError({ message: 'the operations must leave detections (end the chain with a detections operation)', stepName, property: 'operations' });
        }
        return { predictions: result };
      },
    };
  },
});
