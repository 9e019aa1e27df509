import { defineBlock, field, StepExecutionError, z, type AnyBlock, type AnomalyMap } from '@vad/core';
import { anomalyRegions } from './anomaly-regions.js';
import { loadDetector } from './load-detector.js';

/**
 * `vad/patchcore@v1`: scores an image with a fitted PatchCore (or PaDiM) model file. `model` is a
 * path or an id looked up in the host's models folder. The map is normalised like the score: the
 * threshold is 0.5 unless `threshold` overrides it.
 */
export const patchcoreBlock = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/patchcore@v1',
  title: 'PatchCore Anomaly Detection',
  description: 'Scores an image against a model of normal images (PatchCore or PaDiM): an image score, a decision and a per-pixel anomaly map.',
  manifest: {
    image: field.image({ description: 'Image to inspect' }),
    model: field.literal(z.string().min(1), { description: 'Model file path, or a model id in the host models folder (".vad" optional)' }),
    threshold: field.literal(z.number().positive().optional(), { description: 'Normalised threshold override (default 0.5: the model’s own threshold)' }),
  },
  outputs: {
    anomaly_score: { kinds: ['float'], description: 'Normalised image score; the threshold is at anomaly_threshold' },
    anomaly_threshold: { kinds: ['float'] },
    is_anomalous: { kinds: ['boolean'] },
    anomaly_map: { kinds: ['anomaly_map'], description: 'Normalised per-pixel scores in image coordinates, with the threshold set' },
  },
  async create({ properties, host, stepName }) {
    const detector = await loadDetector(properties.model!, {
      modelsDir: host.modelsDir,
      cacheDir: host.cacheDir,
      ...(host.executionProviders && { executionProviders: host.executionProviders }),
      ...(properties.threshold !== undefined && { threshold: properties.threshold }),
    }).catch((cause) => {
      throw Object.assign(cause, { stepName });
    });
    return {
      async run({ image }) {
        const pixels = await image.pixels();
        let prediction;
        try {
          prediction = await detector.predict(pixels);
        } catch (cause) {
          throw new StepExecutionError({ message: `scoring image ${image.id} failed: ${(cause as Error).message}`, stepName, cause });
        }
        const map: AnomalyMap = { kind: 'anomaly_map', width: prediction.width, height: prediction.height, data: prediction.map, threshold: detector.threshold, imageId: image.id };
        return { anomaly_score: prediction.score, anomaly_threshold: detector.threshold, is_anomalous: prediction.isAnomalous, anomaly_map: map };
      },
      dispose: () => detector.dispose(),
    };
  },
});

/**
 * `vad/anomaly_regions@v1`: anomaly map → threshold → 8-connected regions → detections (class
 * `anomaly`, confidence = the region's peak normalised score), so anomalies feed box, label and
 * heat-map visualisations.
 */
export const anomalyRegionsBlock = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/anomaly_regions@v1',
  title: 'Anomaly Regions',
  description: 'Turns an anomaly map into detections: pixels above the threshold, grouped into connected regions, one box per region.',
  manifest: {
    anomaly_map: field.selector<AnomalyMap>(['anomaly_map'], { description: 'Map from vad/patchcore@v1' }),
    threshold: field.parameter(z.number().optional(), ['float'], { description: 'Default: the map’s own threshold (0.5 for PatchCore maps)' }),
    min_area: field.parameter(z.number().int().min(1).default(16), ['integer'], { description: 'Smallest region kept, in pixels' }),
  },
  outputs: {
    predictions: { kinds: ['object_detection_prediction'] },
  },
  create: () => ({
    run({ anomaly_map, threshold, min_area }) {
      return { predictions: anomalyRegions(anomaly_map, { ...(threshold !== undefined && { threshold }), minArea: min_area ?? 16 }) };
    },
  }),
});

/** The blocks of @vad/patchcore, for a registry. */
export function patchcoreBlocks(): AnyBlock[] {
  return [patchcoreBlock, anomalyRegionsBlock];
}
