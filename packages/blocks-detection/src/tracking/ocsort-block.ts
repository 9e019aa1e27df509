import { defineBlock, field, kinds, z } from '@vad/core';
import { InstanceCache } from './instance-cache.js';
import { OcSortTracker, ocSortDefaults } from './oc-sort.js';
import { numberInput, requireDetections, trackerOutputs, trackInputs } from './tracked-detections.js';

const detectionKinds = [kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction, 'keypoint_detection_prediction'];
const trackerOutputKinds = { kinds: [kinds.objectDetectionPrediction] };
const d = ocSortDefaults;

/** Roboflow's `trackers_ocsort@v1` (the trackers package's OCSORTTracker), one tracker per stream. */
export const trackersOcSort = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/trackers_ocsort@v1',
  aliases: ['roboflow_core/trackers_ocsort@v1'],
  title: 'OC-SORT Tracker',
  description:
    'Tracks objects through occlusion and unpredictable movement with OC-SORT: Kalman-predicted tracks matched by IoU plus a direction-consistency term, ' +
    'lost tracks recovered by their last observation and re-updated along a virtual path; tracked_detections carry tracker_id, new_instances the first appearance of each id.',
  manifest: {
    image: field.image({ description: 'The frame; its stream keys the tracker.' }),
    detections: field.selector(detectionKinds, { description: 'Detections of the current frame.' }),
    minimum_iou_threshold: field.parameter(z.number().min(0).max(1).default(d.minimumIouThreshold), [kinds.floatZeroToOne], {
      description: 'Least IoU between a track and a detection for them to match.',
    }),
    minimum_consecutive_frames: field.parameter(z.number().int().min(1).default(d.minimumConsecutiveFrames), [kinds.integer], {
      description: 'Consecutive matches before a track is reported (tracker_id != -1).',
    }),
    lost_track_buffer: field.parameter(z.number().int().min(0).default(d.lostTrackBuffer), [kinds.integer], { description: 'Frames (at 30 fps) a track is kept after it loses its detection.' }),
    high_conf_det_threshold: field.parameter(z.number().min(0).max(1).default(d.highConfidenceThreshold), [kinds.floatZeroToOne], {
      description: 'Detections below this confidence are left out of tracking.',
    }),
    direction_consistency_weight: field.parameter(z.number().min(0).max(1).default(d.directionConsistencyWeight), [kinds.floatZeroToOne], {
      description: 'Weight of the direction-consistency term (observation-centric momentum) in the association cost.',
    }),
    delta_t: field.parameter(z.number().int().min(1).default(d.deltaT), [kinds.integer], { description: 'Frames back to the observation a track’s motion direction is measured from.' }),
    instances_cache_size: field.literal(z.number().int().min(1).default(16384), { description: 'Tracker ids remembered for new_instances (FIFO).' }),
  },
  outputs: { tracked_detections: trackerOutputKinds, new_instances: trackerOutputKinds, already_seen_instances: trackerOutputKinds },
  stateful: true,
  create: ({ properties }) => {
    let tracker: OcSortTracker | undefined;
    const cache = new InstanceCache(properties.instances_cache_size ?? 16384);
    return {
      run(inputs, { stepName }) {
        const detections = requireDetections(inputs.detections, stepName, 'detections');
        const read = (property: string, fallback: number, integer: boolean, min: number, max?: number) =>
          numberInput(inputs[property as keyof typeof inputs], fallback, { stepName, property, integer, min, ...(max !== undefined && { max }) });
        // As Roboflow, the tracker takes its parameters from the stream's first frame.
        tracker ??= new OcSortTracker({
          minimumIouThreshold: read('minimum_iou_threshold', d.minimumIouThreshold, false, 0, 1),
          minimumConsecutiveFrames: read('minimum_consecutive_frames', d.minimumConsecutiveFrames, true, 1),
          lostTrackBuffer: read('lost_track_buffer', d.lostTrackBuffer, true, 0),
          highConfidenceThreshold: read('high_conf_det_threshold', d.highConfidenceThreshold, false, 0, 1),
          directionConsistencyWeight: read('direction_consistency_weight', d.directionConsistencyWeight, false, 0, 1),
          deltaT: read('delta_t', d.deltaT, true, 1),
          // Roboflow's tracker blocks take 30 when the frame carries no fps; vad frames carry none.
          frameRate: 30,
        });
        return trackerOutputs(detections, tracker.update(trackInputs(detections)), cache);
      },
    };
  },
});
