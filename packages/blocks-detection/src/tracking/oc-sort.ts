import { iouMatrix, type Corners } from './box-iou.js';
import type { TrackInput } from './byte-track.js';
import { solveAssignment, type CostMatrix } from './linear-assignment.js';
import { boxToObservation, initiateOcSortState, observationToBox, predictOcSortState, updateOcSortState, type OcSortKalmanState } from './ocsort-kalman-filter.js';

/**
 * OC-SORT as Roboflow's `trackers` package runs it (`OCSORTTracker`, which the `trackers_ocsort`
 * block wraps), at a fixed frame rate. Each frame:
 * - detections below `highConfidenceThreshold` are dropped;
 * - every track is predicted by its Kalman filter (ocsort-kalman-filter.ts);
 * - first association (with observation-centric momentum, OCM): the assignment that maximises
 *   IoU(predicted box, detection) + `directionConsistencyWeight` × confidence × the direction
 *   consistency — (π/2 − the angle between the track's observed motion direction and the direction
 *   from its observation `deltaT` frames back to the detection) / π; pairs of IoU ≥
 *   `minimumIouThreshold` match;
 * - second association (observation-centric recovery, OCR): the tracks and detections left, by
 *   IoU of the track's last observation (not its prediction) with the detection;
 * - a track matched again after missing frames is re-updated first (observation-centric
 *   re-update, ORU): its filter goes back to where it was when it was lost and is run through a
 *   virtual trajectory that interpolates linearly (centre, width, height) from the last
 *   observation to the new one, one frame at a time, so the drift accumulated while it was
 *   unobserved is replaced by a plausible path;
 * - detections no track took start tracks; tracks unmatched for more than `lostTrackBuffer`
 *   frames (at 30 fps, scaled by `frameRate`) are dropped after the association.
 * A track gets an id once matched `minimumConsecutiveFrames` times in a row (in the first
 * `minimumConsecutiveFrames` frames of the stream, any matched track gets one at once); a track
 * that missed a frame counts again from zero, and until it reaches the count again its detections
 * carry -1 though it keeps its id. Ids count from 0, per tracker, as the package allocates them.
 */
export interface OcSortOptions {
  lostTrackBuffer: number;
  frameRate: number;
  minimumConsecutiveFrames: number;
  minimumIouThreshold: number;
  directionConsistencyWeight: number;
  highConfidenceThreshold: number;
  deltaT: number;
}

/** The trackers package's `OCSORTTracker` constructor defaults, which Roboflow's manifest reads. */
export const ocSortDefaults: OcSortOptions = {
  lostTrackBuffer: 30,
  frameRate: 30,
  minimumConsecutiveFrames: 3,
  minimumIouThreshold: 0.3,
  directionConsistencyWeight: 0.2,
  highConfidenceThreshold: 0.6,
  deltaT: 3,
};

/** A unit direction (dy, dx), y first as OC-SORT writes it. */
type Direction = readonly [number, number];

class Tracklet {
  kalman: OcSortKalmanState;
  age = 0;
  trackerId = -1;
  timeSinceUpdate = 0;
  consecutiveUpdates = 0;
  lastObservation: Corners;
  /** Observed boxes by the age at which they were seen, the last `deltaT` ages only. */
  readonly observations = new Map<number, Corners>();
  velocity: Direction | undefined;
  /** The filter as it stood when the track was lost (ORU restores it). */
  #frozen: OcSortKalmanState | undefined;
  #observed = true;
  readonly #deltaT: number;

  constructor(corners: Corners, deltaT: number) {
    this.kalman = initiateOcSortState(corners);
    this.lastObservation = corners;
    this.#deltaT = deltaT;
  }

  get predictedBox(): Corners {
    return observationToBox(this.kalman.mean);
  }

  predict(): void {
    // A track unmatched last frame is lost from here: keep its filter for the re-update.
    if (this.#observed && this.timeSinceUpdate > 0) {
      this.#frozen = this.kalman;
      this.#observed = false;
    }
    this.kalman = predictOcSortState(this.kalman);
    if (this.timeSinceUpdate > 0) this.consecutiveUpdates = 0;
    this.timeSinceUpdate++;
    this.age++;
  }

  /** The observation `deltaT` ages back, else the nearest younger one within the window, else the newest; none before the first match. */
  previousObservation(): Corners | undefined {
    if (this.observations.size === 0) return undefined;
    for (let dt = this.#deltaT; dt >= 1; dt--) {
      const box = this.observations.get(this.age - dt);
      if (box) return box;
    }
    return this.observations.get(Math.max(...this.observations.keys()));
  }

  update(box: Corners): void {
    const previous = this.previousObservation();
    if (previous) this.velocity = direction(previous, box);
    if (!this.#observed && this.#frozen) this.#reUpdate(box);
    this.kalman = updateOcSortState(this.kalman, boxToObservation(box));
    this.#observed = true;
    this.timeSinceUpdate = 0;
    this.consecutiveUpdates++;
    this.lastObservation = box;
    this.observations.set(this.age, box);
    for (const age of this.observations.keys()) if (age < this.age - this.#deltaT) this.observations.delete(age);
  }

  /**
   * ORU: from the filter frozen one frame after the last observation, one update per missed frame
   * with the box interpolated (centre, width, height) from the last observation to `box`, and a
   * prediction between updates. The caller then updates with `box` itself, as the package does.
   */
  #reUpdate(box: Corners): void {
    this.kalman = this.#frozen!;
    this.#frozen = undefined;
    const gap = this.timeSinceUpdate;
    const [x1, y1, s1, r1] = boxToObservation(this.lastObservation);
    const [x2, y2, s2, r2] = boxToObservation(box);
    const w1 = Math.sqrt(s1 * r1);
    const h1 = r1 !== 0 ? Math.sqrt(s1 / r1) : 0;
    const w2 = Math.sqrt(s2 * r2);
    const h2 = r2 !== 0 ? Math.sqrt(s2 / r2) : 0;
    for (let i = 1; i <= gap; i++) {
      const t = i / gap;
      const x = x1 + t * (x2 - x1);
      const y = y1 + t * (y2 - y1);
      const w = w1 + t * (w2 - w1);
      const h = h1 + t * (h2 - h1);
      this.kalman = updateOcSortState(this.kalman, [x, y, w * h, w / h]);
      if (i < gap) this.kalman = predictOcSortState(this.kalman);
    }
  }
}

function centre(box: Corners): [number, number] {
  return [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
}

/** Unit direction (dy, dx) from one box's centre to another's (10⁻⁶ added to the norm, as OC-SORT). */
function direction(from: Corners, to: Corners): Direction {
  const [fx, fy] = centre(from);
  const [tx, ty] = centre(to);
  const norm = Math.hypot(ty - fy, tx - fx) + 1e-6;
  return [(ty - fy) / norm, (tx - fx) / norm];
}

export class OcSortTracker {
  readonly options: OcSortOptions;
  readonly #maximumFramesWithoutUpdate: number;
  #tracklets: Tracklet[] = [];
  #frameCount = 0;
  #nextId = 0;

  constructor(options: Partial<OcSortOptions> = {}) {
    this.options = { ...ocSortDefaults, ...options };
    // As the package: 0 stays 0, a positive buffer scales up to at least one frame.
    const { lostTrackBuffer, frameRate } = this.options;
    this.#maximumFramesWithoutUpdate = lostTrackBuffer === 0 ? 0 : Math.max(1, Math.ceil((frameRate / 30) * lostTrackBuffer));
  }

  /** The live tracks after the last frame: id (-1 until confirmed), frames since their last match, and Kalman mean (x, y, s, r, vx, vy, vs). */
  tracks(): { trackerId: number; timeSinceUpdate: number; mean: Float64Array }[] {
    return this.#tracklets.map((t) => ({ trackerId: t.trackerId, timeSinceUpdate: t.timeSinceUpdate, mean: Float64Array.from(t.kalman.mean) }));
  }

  /** One frame: for each detection its track's id, or -1 (below the confidence threshold, unmatched, or its track not confirmed). */
  update(detections: readonly TrackInput[]): Int32Array {
    const ids = new Int32Array(detections.length).fill(-1);
    if (this.#tracklets.length === 0 && detections.length === 0) return ids;
    const { highConfidenceThreshold, directionConsistencyWeight, deltaT } = this.options;
    const kept = detections.flatMap((d, i) => (d.confidence >= highConfidenceThreshold ? [i] : []));
    const boxes = kept.map((i) => detections[i]!.corners);
    const confidences = kept.map((i) => detections[i]!.confidence);

    for (const tracklet of this.#tracklets) tracklet.predict();
    const tracks = this.#tracklets;
    const iou = iouMatrix(
      tracks.map((t) => t.predictedBox),
      boxes,
    );
    const momentum = directionConsistencyWeight !== 0 ? directionConsistency(tracks, boxes, confidences) : undefined;
    const first = this.#associate(iou, momentum);
    for (const [t, d] of first.matches) ids[kept[d]!] = this.#match(tracks[t]!, boxes[d]!);

    let unmatched = first.unmatchedColumns;
    if (unmatched.length > 0 && first.unmatchedRows.length > 0) {
      const lost = first.unmatchedRows.map((t) => tracks[t]!);
      const recovery = this.#associate(
        iouMatrix(
          lost.map((t) => t.lastObservation),
          unmatched.map((d) => boxes[d]!),
        ),
        undefined,
      );
      for (const [t, d] of recovery.matches) ids[kept[unmatched[d]!]!] = this.#match(lost[t]!, boxes[unmatched[d]!]!);
      unmatched = recovery.unmatchedColumns.map((d) => unmatched[d]!);
    }
    for (const d of unmatched) this.#tracklets.push(new Tracklet(boxes[d]!, deltaT));
    this.#tracklets = this.#tracklets.filter((t) => t.timeSinceUpdate <= this.#maximumFramesWithoutUpdate);
    this.#frameCount++;
    return ids;
  }

  /** The assignment maximising IoU (+ the weighted momentum term); pairs of IoU ≥ the threshold match. */
  #associate(iou: CostMatrix, momentum: CostMatrix | undefined) {
    const { rows, columns } = iou;
    const matches: [number, number][] = [];
    const rowMatched = new Uint8Array(rows);
    const columnMatched = new Uint8Array(columns);
    if (rows > 0 && columns > 0) {
      const weight = this.options.directionConsistencyWeight;
      const costs = Float64Array.from(iou.costs, (value, k) => -(value + (momentum ? weight * momentum.costs[k]! : 0)));
      const assigned = solveAssignment({ rows, columns, costs });
      for (let row = 0; row < rows; row++) {
        const column = assigned[row]!;
        if (column < 0 || !(iou.costs[row * columns + column]! >= this.options.minimumIouThreshold)) continue;
        matches.push([row, column]);
        rowMatched[row] = 1;
        columnMatched[column] = 1;
      }
    }
    const unmatchedRows = [...rowMatched.keys()].filter((r) => !rowMatched[r]);
    const unmatchedColumns = [...columnMatched.keys()].filter((c) => !columnMatched[c]);
    return { matches, unmatchedRows, unmatchedColumns };
  }

  /** Updates a matched track and returns the id its detection carries. */
  #match(tracklet: Tracklet, box: Corners): number {
    tracklet.update(box);
    const { minimumConsecutiveFrames } = this.options;
    const confirmed = this.#frameCount <= minimumConsecutiveFrames ? tracklet.timeSinceUpdate === 0 : tracklet.consecutiveUpdates >= minimumConsecutiveFrames;
    if (!confirmed) return -1;
    if (tracklet.trackerId === -1) tracklet.trackerId = this.#nextId++;
    return tracklet.trackerId;
  }
}

/**
 * OCM's term for each (track, detection): (π/2 − |angle between the track's velocity and the
 * direction from its observation deltaT frames back — or its last observation — to the
 * detection|) / π, in [−½, ½], times the detection's confidence; 0 for a track without a velocity
 * yet (matched fewer than twice).
 */
function directionConsistency(tracks: readonly Tracklet[], boxes: readonly Corners[], confidences: readonly number[]): CostMatrix {
  const costs = new Float64Array(tracks.length * boxes.length);
  tracks.forEach((track, i) => {
    const velocity = track.velocity;
    if (!velocity) return;
    const reference = track.previousObservation() ?? track.lastObservation;
    boxes.forEach((box, j) => {
      const [dy, dx] = direction(reference, box);
      const cosine = Math.min(1, Math.max(-1, velocity[1] * dx + velocity[0] * dy));
      costs[i * boxes.length + j] = ((Math.PI / 2 - Math.abs(Math.acos(cosine))) / Math.PI) * confidences[j]!;
    });
  });
  return { rows: tracks.length, columns: boxes.length, costs };
}
