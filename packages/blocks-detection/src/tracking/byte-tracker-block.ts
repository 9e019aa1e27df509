import { defineBlock, field, kinds, z } from '@vad/core';
import { ByteTracker } from './byte-track.js';
import { InstanceCache } from './instance-cache.js';
import { numberInput, requireDetections, trackerOutputs, trackInputs } from './tracked-detections.js';

const detectionKinds = [kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction, 'keypoint_detection_prediction'];
const trackerOutputKinds = { kinds: [kinds.objectDetectionPrediction] };

/**
 * Roboflow's `byte_tracker` v1, v2 and v3 in one block: ByteTrack as supervision runs it, one
 * tracker per stream (the workflow engine keeps one instance per stream id, where Roboflow keys
 * by the video identifier). v1 reads `metadata` and `predictions`, v2 and v3 `image` and
 * `detections`; the new_instances / already_seen_instances outputs are v3's.
 */
export const byteTracker = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/byte_tracker@v1',
  aliases: ['roboflow_core/byte_tracker@v1', 'ByteTracker', 'roboflow_core/byte_tracker@v2', 'roboflow_core/byte_tracker@v3'],
  title: 'Byte Tracker',
  description:
    'Tracks objects across the frames of a stream with ByteTrack (Kalman-predicted boxes, two-stage IoU association of high- and low-confidence detections) ' +
    'and sets tracker_id on each tracked detection; new_instances holds the first appearance of each id.',
  manifest: {
    image: field.image({ optional: true, description: 'The frame (v2, v3). Its stream keys the tracker.' }),
    metadata: field.selector(['video_metadata'], { optional: true, description: 'Video metadata (v1): its fps is the frame rate when frame_rate is not given.' }),
    detections: field.selector(detectionKinds, { aliases: ['predictions'], description: 'Detections of the current frame (v1 calls this property predictions).' }),
    track_activation_threshold: field.parameter(z.number().min(0).max(1).default(0.25), [kinds.floatZeroToOne], {
      description: 'Detections above this confidence are associated first and may start tracks (above it + 0.1).',
    }),
    lost_track_buffer: field.parameter(z.number().int().min(0).default(30), [kinds.integer], { description: 'Frames (at 30 fps) a lost track is kept to be found again.' }),
    minimum_matching_threshold: field.parameter(z.number().min(0).max(1).default(0.8), [kinds.floatZeroToOne], {
      description: 'Largest 1 − IoU×confidence at which a high-confidence detection continues a track.',
    }),
    minimum_consecutive_frames: field.parameter(z.number().int().min(1).default(1), [kinds.integer], { description: 'Matches before a track gets an id (v2, v3).' }),
    frame_rate: field.parameter(z.number().positive().optional(), [kinds.float], { description: 'Frames per second (v1); else the metadata fps, else 30.' }),
    instances_cache_size: field.literal(z.number().int().min(1).default(16384), { description: 'Tracker ids remembered for new_instances (v3).' }),
  },
  outputs: { tracked_detections: trackerOutputKinds, new_instances: trackerOutputKinds, already_seen_instances: trackerOutputKinds },
  stateful: true,
  create: ({ properties }) => {
    let tracker: ByteTracker | undefined;
    const cache = new InstanceCache(properties.instances_cache_size ?? 16384);
    return {
      run(inputs, { stepName }) {
        const detections = requireDetections(inputs.detections, stepName, 'detections');
        // As Roboflow, the tracker takes its parameters from the stream's first frame.
        tracker ??= new ByteTracker({
          trackActivationThreshold: numberInput(inputs.track_activation_threshold, 0.25, { stepName, property: 'track_activation_threshold', min: 0, max: 1 }),
          lostTrackBuffer: numberInput(inputs.lost_track_buffer, 30, { stepName, property: 'lost_track_buffer', integer: true, min: 0 }),
          minimumMatchingThreshold: numberInput(inputs.minimum_matching_threshold, 0.8, { stepName, property: 'minimum_matching_threshold', min: 0, max: 1 }),
          minimumConsecutiveFrames: numberInput(inputs.minimum_consecutive_frames, 1, { stepName, property: 'minimum_consecutive_frames', integer: true, min: 1 }),
          frameRate: numberInput(inputs.frame_rate, metadataFps(inputs.metadata) ?? 30, { stepName, property: 'frame_rate', min: 0 }),
        });
        return trackerOutputs(detections, tracker.update(trackInputs(detections)), cache);
      },
    };
  },
});

function metadataFps(metadata: unknown): number | undefined {
  const fps = (metadata as { fps?: unknown } | undefined)?.fps;
  return typeof fps === 'number' && fps > 0 ? fps : undefined;
}
