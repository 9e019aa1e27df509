import { defineBlock, field, InvalidInputError, kinds, z } from '@vad/core';
import { DetectionEventLog } from './detection-event-log.js';
import { numberInput, requireDetections } from './tracked-detections.js';

const detectionKinds = [kinds.objectDetectionPrediction, kinds.instanceSegmentationPrediction];

/**
 * Roboflow reads frame numbers and timestamps from the image's video metadata; an image without
 * any (every vad image) gets fps 30 and no frame timestamp there, so relative times are
 * (frame − 1) / 30 and absolute times the clock's now. fallback_fps, used only when a video's
 * metadata carries no fps, is therefore accepted and checked but never reached.
 */
const imageFps = 30;

/** Roboflow's `roboflow_core/detection_event_log@v1`: one log per stream. */
export const detectionEventLog = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/detection_event_log@v1',
  aliases: ['roboflow_core/detection_event_log@v1'],
  title: 'Detection Event Log',
  description:
    'Logs tracked objects over a stream: for each tracker_id its class, first and last frame, absolute and relative times and frame count; ' +
    'pending until seen in frame_threshold frames, then logged; every flush_interval frames events unseen for more than stale_frames are dropped, the logged ones reported in complete_events.',
  manifest: {
    image: field.image({ description: 'The frame; its stream keys the log.' }),
    detections: field.selector(detectionKinds, { description: 'Tracked detections (with tracker_id), e.g. from a byte tracker.' }),
    frame_threshold: field.parameter(z.number().int().min(1).default(30), [kinds.integer], { description: 'Frames an object must be seen in before it is logged.' }),
    flush_interval: field.parameter(z.number().int().min(1).default(30), [kinds.integer], { description: 'How often (in frames) stale events are removed.' }),
    stale_frames: field.parameter(z.number().int().min(1).default(300), [kinds.integer], { description: 'Events unseen for more than this many frames are removed.' }),
    reference_timestamp: field.parameter(z.number().nullable().optional(), [kinds.float], { description: 'Deprecated in Roboflow and not used.' }),
    fallback_fps: field.parameter(z.number().positive().default(1), [kinds.float], {
      description: 'FPS when a video carries none (vad images carry Roboflow’s default of 30, so it is not used).',
    }),
  },
  outputs: {
    event_log: { kinds: [kinds.dictionary] },
    detections: { kinds: detectionKinds },
    total_logged: { kinds: [kinds.integer] },
    total_pending: { kinds: [kinds.integer] },
    complete_events: { kinds: [kinds.dictionary] },
  },
  stateful: true,
  create: ({ host }) => {
    const log = new DetectionEventLog();
    const now = host.clock ?? Date.now;
    return {
      run(inputs, { stepName }) {
        const detections = requireDetections(inputs.detections, stepName, 'detections');
        const integer = (property: 'frame_threshold' | 'flush_interval' | 'stale_frames', fallback: number) =>
          numberInput(inputs[property], fallback, { stepName, property, integer: true, min: 1 });
        const settings = { frameThreshold: integer('frame_threshold', 30), flushInterval: integer('flush_interval', 30), staleFrames: integer('stale_frames', 300) };
        const fallbackFps = numberInput(inputs.fallback_fps, 1, { stepName, property: 'fallback_fps' });
        if (!(fallbackFps > 0)) throw new InvalidInputError({ message: `invalid value ${fallbackFps} for fallback_fps: expected a number above 0`, stepName, property: 'fallback_fps' });
        return { ...log.update(detections, settings, { timestamp: now() / 1000, fps: imageFps }), detections };
      },
    };
  },
});
