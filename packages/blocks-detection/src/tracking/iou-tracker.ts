import { iouMatrix, type Corners } from './box-iou.js';
import type { TrackInput } from './byte-track.js';
import { cornersToMeasurement, initiateState, predictState, stateToCorners, updateState, type KalmanState } from './kalman-filter.js';
import { matchAboveThreshold } from './linear-assignment.js';

/**
 * The association of Roboflow's `trackers` package (its `SORTTracker` and `ByteTrackTracker`,
 * which the `trackers_sort` and `trackers_bytetrack` blocks wrap): the assignment that maximises
 * IoU between predicted tracks and detections, keeping pairs of IoU ≥ `minimumIouThreshold`.
 * `sort` associates every detection in one stage; `bytetrack` first the detections of confidence ≥
 * `highConfidenceThreshold` with all tracks, then the rest with the tracks left. Unmatched
 * detections of confidence ≥ `trackActivationThreshold` (in `bytetrack`, only high ones) start
 * tracks. A track gets an id once it has `minimumConsecutiveFrames` hits (its first detection
 * counts; as the trackers package's SORT tracklets, hits are not reset by a miss); until then,
 * and for detections no track took, the id is -1. Tracks die after `lostTrackBuffer` frames (at 30
 * fps, scaled by `frameRate`) without a match, or at once when they miss before maturing.
 *
 * Unlike the trackers package, the motion model is ByteTrack's Kalman filter (kalman-filter.ts);
 * the trackers package has a filter of its own per tracker.
 */
export interface IouTrackerOptions {
  mode: 'sort' | 'bytetrack';
  trackActivationThreshold: number;
  lostTrackBuffer: number;
  minimumIouThreshold: number;
  minimumConsecutiveFrames: number;
  /** `bytetrack` only. */
  highConfidenceThreshold: number;
  frameRate: number;
}

interface Tracklet {
  kalman: KalmanState;
  id: number;
  timeSinceUpdate: number;
  hits: number;
}

export class IouTracker {
  readonly options: IouTrackerOptions;
  readonly #maximumFramesWithoutUpdate: number;
  #tracklets: Tracklet[] = [];
  #nextId = 1;

  constructor(options: IouTrackerOptions) {
    this.options = options;
    this.#maximumFramesWithoutUpdate = Math.trunc((options.frameRate / 30) * options.lostTrackBuffer);
  }

  /** One frame: for each detection its track's id, or -1. */
  update(detections: readonly TrackInput[]): Int32Array {
    const ids = new Int32Array(detections.length).fill(-1);
    for (const tracklet of this.#tracklets) {
      tracklet.kalman = predictState(tracklet.kalman);
      tracklet.timeSinceUpdate++;
    }
    const { mode, highConfidenceThreshold, trackActivationThreshold } = this.options;
    const all = detections.map((_, i) => i);
    const firstStage = mode === 'bytetrack' ? all.filter((i) => detections[i]!.confidence >= highConfidenceThreshold) : all;
    const secondStage = mode === 'bytetrack' ? all.filter((i) => detections[i]!.confidence < highConfidenceThreshold) : [];

    const matchedTracklet = new Map<number, Tracklet>();
    const first = this.#associate(this.#tracklets, firstStage, detections, matchedTracklet);
    this.#associate(first.remaining, secondStage, detections, matchedTracklet);
    for (const i of first.unmatched) {
      if (detections[i]!.confidence < trackActivationThreshold) continue;
      this.#tracklets.push({ kalman: initiateState(cornersToMeasurement(...detections[i]!.corners)), id: -1, timeSinceUpdate: 0, hits: 1 });
    }

    const { minimumConsecutiveFrames } = this.options;
    this.#tracklets = this.#tracklets.filter((t) => {
      const mature = t.hits >= minimumConsecutiveFrames;
      return t.timeSinceUpdate < this.#maximumFramesWithoutUpdate && (mature || t.timeSinceUpdate === 0);
    });
    for (const [detection, tracklet] of matchedTracklet) {
      if (tracklet.hits < minimumConsecutiveFrames) continue;
      if (tracklet.id === -1) tracklet.id = this.#nextId++;
      ids[detection] = tracklet.id;
    }
    return ids;
  }

  /** Matches `indices` of `detections` to `tracklets`; updates the matched ones. */
  #associate(tracklets: readonly Tracklet[], indices: readonly number[], detections: readonly TrackInput[], matched: Map<number, Tracklet>) {
    const boxes: Corners[] = indices.map((i) => detections[i]!.corners);
    const similarity = iouMatrix(
      tracklets.map((t) => stateToCorners(t.kalman.mean)),
      boxes,
    );
    const result = matchAboveThreshold(similarity, this.options.minimumIouThreshold);
    for (const [t, d] of result.matches) {
      const tracklet = tracklets[t]!;
      tracklet.kalman = updateState(tracklet.kalman, cornersToMeasurement(...boxes[d]!));
      tracklet.timeSinceUpdate = 0;
      tracklet.hits++;
      matched.set(indices[d]!, tracklet);
    }
    return { remaining: result.unmatchedRows.map((t) => tracklets[t]!), unmatched: result.unmatchedColumns.map((d) => indices[d]!) };
  }
}
