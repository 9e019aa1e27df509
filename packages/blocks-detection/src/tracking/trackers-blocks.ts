import { defineBlock, field, kinds, z } from '@vad/core';
import { InstanceCache } from './instance-cache.js';
import { IouTracker, type IouTrackerOptions } from './iou-tracker.js';
import { numberInput, requireDetections, trackerOutputs, trackInputs } from './tracked-detections.js';

const detectionKinds = [kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction, 'keypoint_detection_prediction'];
const trackerOutputKinds = { kinds: [kinds.objectDetectionPrediction] };

interface Defaults {
  minimum_iou_threshold: number;
  minimum_consecutive_frames: number;
  lost_track_buffer: number;
  track_activation_threshold: number;
}

function commonManifest(defaults: Defaults) {
  return {
    image: field.image({ description: 'The frame; its stream keys the tracker.' }),
    detections: field.selector(detectionKinds, { description: 'Detections of the current frame.' }),
    minimum_iou_threshold: field.parameter(z.number().min(0).max(1).default(defaults.minimum_iou_threshold), [kinds.floatZeroToOne], {
      description: 'Least IoU between a predicted track and a detection for them to match.',
    }),
    minimum_consecutive_frames: field.parameter(z.number().int().min(1).default(defaults.minimum_consecutive_frames), [kinds.integer], {
      description: 'Frames in a row a track must be matched before it gets an id.',
    }),
    lost_track_buffer: field.parameter(z.number().int().min(0).default(defaults.lost_track_buffer), [kinds.integer], { description: 'Frames (at 30 fps) a track survives without a match.' }),
    track_activation_threshold: field.parameter(z.number().min(0).max(1).default(defaults.track_activation_threshold), [kinds.floatZeroToOne], {
      description: 'Least confidence for an unmatched detection to start a track.',
    }),
    instances_cache_size: field.literal(z.number().int().min(1).default(16384), { description: 'Tracker ids remembered for new_instances.' }),
  };
}

function createIouTracker(mode: IouTrackerOptions['mode'], defaults: Defaults & { high_conf_det_threshold?: number }) {
  return ({ properties }: { properties: { instances_cache_size?: number } }) => {
    let tracker: IouTracker | undefined;
    const cache = new InstanceCache(properties.instances_cache_size ?? 16384);
    return {
      run(inputs: Record<string, unknown>, { stepName }: { stepName: string }) {
        const detections = requireDetections(inputs.detections, stepName, 'detections');
        const read = (property: keyof Defaults | 'high_conf_det_threshold', integer = false, max?: number) =>
          numberInput(inputs[property], defaults[property]!, { stepName, property, integer, min: integer ? (property === 'lost_track_buffer' ? 0 : 1) : 0, ...(max !== undefined && { max }) });
        tracker ??= new IouTracker({
          mode,
          minimumIouThreshold: read('minimum_iou_threshold', false, 1),
          minimumConsecutiveFrames: read('minimum_consecutive_frames', true),
          lostTrackBuffer: read('lost_track_buffer', true),
          trackActivationThreshold: read('track_activation_threshold', false, 1),
          highConfidenceThreshold: mode === 'bytetrack' ? read('high_conf_det_threshold', false, 1) : 0,
          // Roboflow's trackers blocks take 30 when the frame carries no fps; vad frames carry none.
          frameRate: 30,
        });
        return trackerOutputs(detections, tracker.update(trackInputs(detections)), cache);
      },
    };
  };
}

// Defaults of the trackers package's constructors, which Roboflow's manifests read.
const byteTrackDefaults = { minimum_iou_threshold: 0.1, minimum_consecutive_frames: 2, lost_track_buffer: 30, track_activation_threshold: 0.7, high_conf_det_threshold: 0.6 };
const sortDefaults = { minimum_iou_threshold: 0.3, minimum_consecutive_frames: 3, lost_track_buffer: 30, track_activation_threshold: 0.25 };

/** Roboflow's `trackers_bytetrack@v1` (the trackers package's ByteTrackTracker). */
export const trackersByteTrack = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/trackers_bytetrack@v1',
  aliases: ['roboflow_core/trackers_bytetrack@v1'],
  title: 'ByteTrack Tracker',
  description:
    'Tracks objects across the frames of a stream: detections of confidence ≥ high_conf_det_threshold are matched to tracks by IoU first, the rest to the tracks left; ' +
    'tracked_detections carry tracker_id, new_instances the first appearance of each id.',
  manifest: {
    ...commonManifest(byteTrackDefaults),
    high_conf_det_threshold: field.parameter(z.number().min(0).max(1).default(byteTrackDefaults.high_conf_det_threshold), [kinds.floatZeroToOne], {
      description: 'Detections at or above this confidence are associated in the first stage.',
    }),
  },
  outputs: { tracked_detections: trackerOutputKinds, new_instances: trackerOutputKinds, already_seen_instances: trackerOutputKinds },
  stateful: true,
  create: createIouTracker('bytetrack', byteTrackDefaults),
});

/** Roboflow's `trackers_sort@v1` (the trackers package's SORTTracker): one IoU association stage. */
export const trackersSort = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/trackers_sort@v1',
  aliases: ['roboflow_core/trackers_sort@v1'],
  title: 'SORT Tracker',
  description: 'Tracks objects across the frames of a stream with SORT: Kalman-predicted tracks matched to detections by IoU in one stage; tracked_detections carry tracker_id.',
  manifest: commonManifest(sortDefaults),
  outputs: { tracked_detections: trackerOutputKinds, new_instances: trackerOutputKinds, already_seen_instances: trackerOutputKinds },
  stateful: true,
  create: createIouTracker('sort', sortDefaults),
});
