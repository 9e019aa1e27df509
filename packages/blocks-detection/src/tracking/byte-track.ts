import { iouDistance, type Corners } from './box-iou.js';
import { cornersToMeasurement, initiateState, predictState, stateToCorners, updateState, type KalmanState } from './kalman-filter.js';
import { matchBelowThreshold, type CostMatrix } from './linear-assignment.js';

/**
 * ByteTrack as supervision implements it (`sv.ByteTrack`, which Roboflow's byte_tracker blocks
 * wrap). Each frame: predict every confirmed and lost track with the Kalman filter; associate the
 * high-confidence detections (above `trackActivationThreshold`) by IoU fused with the detection
 * score; associate the remaining tracked tracks with the low-confidence detections (0.1 to the
 * threshold) by plain IoU; match tracks born last frame to what is left; start tracks from
 * unmatched detections above threshold + 0.1; forget tracks lost for longer than
 * `lostTrackBuffer` frames at 30 fps (scaled by `frameRate`). Output ids come from a counter of its
 * own per tracker, handed out once a track has been matched `minimumConsecutiveFrames` times.
 */
export interface ByteTrackOptions {
  trackActivationThreshold: number;
  lostTrackBuffer: number;
  minimumMatchingThreshold: number;
  frameRate: number;
  minimumConsecutiveFrames: number;
}

export const byteTrackDefaults: ByteTrackOptions = {
  trackActivationThreshold: 0.25,
  lostTrackBuffer: 30,
  minimumMatchingThreshold: 0.8,
  frameRate: 30,
  minimumConsecutiveFrames: 1,
};

export interface TrackInput {
  readonly corners: Corners;
  readonly confidence: number;
}

const enum TrackState {
  New,
  Tracked,
  Lost,
  Removed,
}

class Track {
  state = TrackState.New;
  activated = false;
  kalman: KalmanState | undefined;
  trackletLength = 0;
  internalId = 0;
  externalId = -1;
  frameId = 0;
  startFrame = 0;
  score: number;
  readonly #initial: Corners;

  constructor(corners: Corners, score: number) {
    this.#initial = corners;
    this.score = score;
  }

  get corners(): Corners {
    return this.kalman ? stateToCorners(this.kalman.mean) : this.#initial;
  }
}

export class ByteTracker {
  readonly options: ByteTrackOptions;
  readonly #maximumTimeLost: number;
  #frameId = 0;
  #tracked: Track[] = [];
  #lost: Track[] = [];
  /** Ids of every track ever removed: supervision keeps that list, and it decides (below) what leaves the lost list. */
  readonly #removedIds = new Set<number>();
  #nextInternalId = 1;
  #nextExternalId = 1;

  constructor(options: Partial<ByteTrackOptions> = {}) {
    this.options = { ...byteTrackDefaults, ...options };
    this.#maximumTimeLost = Math.trunc((this.options.frameRate / 30) * this.options.lostTrackBuffer);
  }

  /**
   * One frame. Returns, for each input detection, the id of the track it belongs to, or -1 (a
   * detection no confirmed track took, or whose track has no id yet).
   */
  update(detections: readonly TrackInput[]): Int32Array {
    const tracks = this.#step(detections);
    const ids = new Int32Array(detections.length).fill(-1);
    if (tracks.length === 0) return ids;
    // As supervision: the outputs are matched back to the detections by IoU ≥ 0.5.
    const { matches } = matchBelowThreshold(
      iouDistance(
        detections.map((d) => d.corners),
        tracks.map((t) => t.corners),
      ),
      0.5,
    );
    for (const [detection, track] of matches) ids[detection] = tracks[track]!.externalId;
    return ids;
  }

  #step(detections: readonly TrackInput[]): Track[] {
    const { trackActivationThreshold: threshold, minimumMatchingThreshold } = this.options;
    const frameId = ++this.#frameId;
    const activated: Track[] = [];
    const refound: Track[] = [];
    const newlyLost: Track[] = [];
    const newlyRemoved: Track[] = [];

    const high = detections.filter((d) => d.confidence > threshold).map((d) => new Track(d.corners, d.confidence));
    const low = detections.filter((d) => d.confidence > 0.1 && d.confidence < threshold).map((d) => new Track(d.corners, d.confidence));

    const unconfirmed = this.#tracked.filter((t) => !t.activated);
    const confirmed = this.#tracked.filter((t) => t.activated);

    // First association: confirmed and lost tracks with the high-confidence detections.
    const pool = joinTracks(confirmed, this.#lost);
    for (const track of pool) this.#predict(track);
    const first = matchBelowThreshold(fuseScore(distance(pool, high), high), minimumMatchingThreshold);
    for (const [t, d] of first.matches) {
      const track = pool[t]!;
      if (track.state === TrackState.Tracked) {
        this.#update(track, high[d]!, frameId);
        activated.push(track);
      } else {
        this.#reactivate(track, high[d]!, frameId);
        refound.push(track);
      }
    }

    // Second association: tracks still tracked (not lost ones) with the low-confidence detections.
    const remaining = first.unmatchedRows.map((i) => pool[i]!).filter((t) => t.state === TrackState.Tracked);
    const second = matchBelowThreshold(distance(remaining, low), 0.5);
    for (const [t, d] of second.matches) {
      const track = remaining[t]!;
      if (track.state === TrackState.Tracked) {
        this.#update(track, low[d]!, frameId);
        activated.push(track);
      } else {
        this.#reactivate(track, low[d]!, frameId);
        refound.push(track);
      }
    }
    for (const t of second.unmatchedRows) {
      const track = remaining[t]!;
      if (track.state !== TrackState.Lost) {
        track.state = TrackState.Lost;
        newlyLost.push(track);
      }
    }

    // Tracks born last frame get one chance with the high-confidence detections left over.
    const leftover = first.unmatchedColumns.map((i) => high[i]!);
    const third = matchBelowThreshold(fuseScore(distance(unconfirmed, leftover), leftover), 0.7);
    for (const [t, d] of third.matches) {
      this.#update(unconfirmed[t]!, leftover[d]!, frameId);
      activated.push(unconfirmed[t]!);
    }
    for (const t of third.unmatchedRows) {
      unconfirmed[t]!.state = TrackState.Removed;
      newlyRemoved.push(unconfirmed[t]!);
    }

    // New tracks from what no track took, when confident enough.
    for (const d of third.unmatchedColumns) {
      const track = leftover[d]!;
      if (track.score < threshold + 0.1) continue;
      this.#activate(track, frameId);
      activated.push(track);
    }

    for (const track of this.#lost) {
      if (frameId - track.frameId > this.#maximumTimeLost) {
        track.state = TrackState.Removed;
        newlyRemoved.push(track);
      }
    }

    // The bookkeeping in supervision's order (it decides, e.g., that a track removed this frame
    // stays in the lost list, and so in next frame's first association, until the next frame ends).
    let tracked = this.#tracked.filter((t) => t.state === TrackState.Tracked);
    tracked = joinTracks(joinTracks(tracked, activated), refound);
    const trackedIds = new Set(tracked.map((t) => t.internalId));
    let lost = this.#lost.filter((t) => !trackedIds.has(t.internalId));
    lost = subtractById([...lost, ...newlyLost], this.#removedIds);
    for (const track of newlyRemoved) this.#removedIds.add(track.internalId);
    [this.#tracked, this.#lost] = removeDuplicates(tracked, lost);
    return this.#tracked.filter((t) => t.activated);
  }

  #predict(track: Track): void {
    const kalman = track.kalman!;
    const mean = Float64Array.from(kalman.mean);
    // A track that is not being tracked does not keep growing or shrinking.
    if (track.state !== TrackState.Tracked) mean[7] = 0;
    track.kalman = predictState({ mean, covariance: kalman.covariance });
  }

  #activate(track: Track, frameId: number): void {
    track.internalId = this.#nextInternalId++;
    track.kalman = initiateState(cornersToMeasurement(...track.corners));
    track.trackletLength = 0;
    track.state = TrackState.Tracked;
    if (frameId === 1) track.activated = true;
    if (this.options.minimumConsecutiveFrames === 1) track.externalId = this.#nextExternalId++;
    track.frameId = frameId;
    track.startFrame = frameId;
  }

  #update(track: Track, detection: Track, frameId: number): void {
    track.frameId = frameId;
    track.trackletLength++;
    track.kalman = updateState(track.kalman!, cornersToMeasurement(...detection.corners));
    track.state = TrackState.Tracked;
    if (track.trackletLength === this.options.minimumConsecutiveFrames) {
      track.activated = true;
      if (track.externalId === -1) track.externalId = this.#nextExternalId++;
    }
    track.score = detection.score;
  }

  #reactivate(track: Track, detection: Track, frameId: number): void {
    track.kalman = updateState(track.kalman!, cornersToMeasurement(...detection.corners));
    track.trackletLength = 0;
    track.state = TrackState.Tracked;
    track.frameId = frameId;
    track.score = detection.score;
  }
}

function distance(tracks: readonly Track[], detections: readonly Track[]): CostMatrix {
  return iouDistance(
    tracks.map((t) => t.corners),
    detections.map((d) => d.corners),
  );
}

/** ByteTrack's score fusion: similarity = IoU × detection confidence. */
function fuseScore(matrix: CostMatrix, detections: readonly Track[]): CostMatrix {
  const costs = Float64Array.from(matrix.costs);
  for (let i = 0; i < matrix.rows; i++) {
    for (let j = 0; j < matrix.columns; j++) costs[i * matrix.columns + j] = 1 - (1 - costs[i * matrix.columns + j]!) * detections[j]!.score;
  }
  return { rows: matrix.rows, columns: matrix.columns, costs };
}

function joinTracks(a: readonly Track[], b: readonly Track[]): Track[] {
  const seen = new Set<number>();
  const joined: Track[] = [];
  for (const track of [...a, ...b]) {
    if (seen.has(track.internalId)) continue;
    seen.add(track.internalId);
    joined.push(track);
  }
  return joined;
}

function subtractById(tracks: readonly Track[], ids: ReadonlySet<number>): Track[] {
  return tracks.filter((t) => !ids.has(t.internalId));
}

/** Tracked and lost tracks that cover the same box (IoU > 0.85): the younger of each pair goes. */
function removeDuplicates(tracked: Track[], lost: Track[]): [Track[], Track[]] {
  const dropTracked = new Set<number>();
  const dropLost = new Set<number>();
  const distances = distance(tracked, lost);
  for (let i = 0; i < tracked.length; i++) {
    for (let j = 0; j < lost.length; j++) {
      if (distances.costs[i * lost.length + j]! >= 0.15) continue;
      const ageTracked = tracked[i]!.frameId - tracked[i]!.startFrame;
      const ageLost = lost[j]!.frameId - lost[j]!.startFrame;
      if (ageTracked > ageLost) dropLost.add(j);
      else dropTracked.add(i);
    }
  }
  return [tracked.filter((_, i) => !dropTracked.has(i)), lost.filter((_, j) => !dropLost.has(j))];
}
