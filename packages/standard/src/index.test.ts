import { describe, expect, it } from 'vitest';
import { createStandardRegistry, standardBlocks } from './index.js';

describe('the standard registry', () => {
  it('holds every block package and answers to Roboflow names', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    const types = new Set(registry.list().map((b) => b.type));
    for (const type of ['vad/property_definition@v1', 'vad/identify_outliers@v1', 'vad/image_embedding@v1', 'vad/object_detection_model@v1', 'vad/image_slicer@v1', 'vad/detections_stitch@v1', 'vad/patchcore@v1', 'vad/anomaly_map_visualization@v1']) {
      expect(types, type).toContain(type);
    }
    expect(registry.get('roboflow_core/identify_outliers@v1')?.type).toBe('vad/identify_outliers@v1');
    expect(registry.get('roboflow_core/image_slicer@v2')?.type).toBe('vad/image_slicer@v1');
    // Roboflow's short manifest literals are names of the same blocks in their engine.
    for (const name of ['ObjectDetectionModel', 'RoboflowObjectDetectionModel']) expect(registry.get(name)?.type, name).toBe('vad/object_detection_model@v1');
    expect(registry.get('DetectionOffset')?.type).toBe('vad/detection_offset@v1');
    expect(registry.list()).toHaveLength(standardBlocks().length);
    const { sources } = await createStandardRegistry({ plugins: [] });
    expect(sources.get(registry.get('vad/patchcore@v1')!)).toBe('@vad/patchcore');
    expect(sources.get(registry.get('vad/continue_if@v1')!)).toBe('@vad/core');
  });
});
