import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkflow, loadSharp, VadImage, type Detections, type WorkflowDefinition } from '@vad/core';
import { sharedPath } from '@vad/testing';
import { describe, expect, it } from 'vitest';
import { createStandardRegistry } from '../src/index.js';

const corpus = path.join(path.dirname(fileURLToPath(import.meta.url)), 'roboflow-corpus', 'tracking');
const photos = sharedPath('datasets/photos');
const models = sharedPath('models');

const windowWidth = 560;
const windowHeight = 400;
const step = 12;
const frameCount = 14;
// yolox_nano.onnx carries no class names, so its classes are COCO indices: "17" is horse (the definitions filter on it).

/** A camera panning right over horses.jpg: frame i is the window at x = i·step (the horses move left by `step` px a frame). */
async function panningFrames(): Promise<VadImage[]> {
  const sharp = await loadSharp();
  const source = await readFile(path.join(photos!, 'horses.jpg'));
  const frames: VadImage[] = [];
  for (let i = 0; i < frameCount; i++) {
    const { data, info } = await sharp(source).extract({ left: i * step, top: 56, width: windowWidth, height: windowHeight }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    frames.push(VadImage.fromPixels({ data: new Uint8Array(data), width: info.width, height: info.height }));
  }
  return frames;
}

async function load(name: string): Promise<WorkflowDefinition> {
  return JSON.parse(await readFile(path.join(corpus, name), 'utf8')) as WorkflowDefinition;
}

describe.skipIf(!photos || !models)('Roboflow tracking workflows on a panning sequence over horses.jpg (corpus tracking/)', () => {
  for (const [file, firstReported] of [
    // supervision's ByteTrack reports frame-1 tracks at once; the trackers package needs minimum_consecutive_frames (2, 3) matches.
    ['byte-tracker-v3-trace.json', 0],
    ['trackers-bytetrack-trace.json', 1],
    ['trackers-sort-trace.json', 2],
    // OC-SORT reports matched tracks from the second frame (its first minimum_consecutive_frames frames need one match).
    ['trackers-ocsort-trace.json', 1],
  ] as const) {
    it(`${file}: every horse keeps one id across the frames, new_instances holds each id once, and the trace follows it`, async () => {
      const { registry } = await createStandardRegistry({ plugins: [] });
      const workflow = createWorkflow(await load(file), { registry, host: { modelsDir: models } });
      try {
        const frames = await panningFrames();
        const positions = new Map<number, { frame: number; x: number; y: number }[]>();
        const firstSeen = new Map<number, number>();
        let last: Record<string, unknown> | undefined;
        for (const [i, image] of frames.entries()) {
          // One run per frame of the same compiled workflow and stream, as the jetson runner does.
          const [record] = (await workflow.run({ inputs: { image }, streamId: 'pan' })).outputs;
          const detected = (record!.predictions as Detections).predictions;
          const tracked = (record!.tracked as Detections).predictions;
          if (i < firstReported) expect(tracked).toEqual([]);
          else expect(tracked.length).toBeGreaterThanOrEqual(Math.min(2, detected.length));
          for (const detection of tracked) {
            expect(Number.isInteger(detection.tracker_id)).toBe(true);
            // In the source image's coordinates, a horse stands still.
            const list = positions.get(detection.tracker_id!) ?? positions.set(detection.tracker_id!, []).get(detection.tracker_id!)!;
            list.push({ frame: i, x: detection.x + i * step, y: detection.y });
            expect(detected.some((d) => d.detection_id === detection.detection_id)).toBe(true);
          }
          const fresh = (record!.new_instances as Detections).predictions.map((d) => d.tracker_id!);
          const seen = (record!.already_seen_instances as Detections).predictions.map((d) => d.tracker_id!);
          expect([...fresh, ...seen].sort()).toEqual(tracked.map((d) => d.tracker_id!).sort());
          for (const id of fresh) {
            expect(firstSeen.has(id)).toBe(false);
            firstSeen.set(id, i);
          }
          for (const id of seen) expect(firstSeen.get(id)).toBeLessThan(i);
          last = record;
        }
        // At least two horses tracked through most of the sequence, each id on one horse.
        const longTracks = [...positions.values()].filter((list) => list.length >= frameCount - firstReported - 2);
        expect(longTracks.length).toBeGreaterThanOrEqual(2);
        // In source coordinates an id never jumps between frames (the horses stand ~170 px apart);
        // a box cut by the window's edge drifts slowly, so steps, not the whole spread, are bounded.
        for (const list of longTracks) {
          for (let k = 1; k < list.length; k++) expect(Math.hypot(list[k]!.x - list[k - 1]!.x, list[k]!.y - list[k - 1]!.y)).toBeLessThan(30);
        }
        // Distinct long tracks sit on distinct horses.
        const centres = longTracks.map((list) => list[0]!);
        for (let a = 0; a < centres.length; a++) for (let b = a + 1; b < centres.length; b++) expect(Math.hypot(centres[a]!.x - centres[b]!.x, centres[a]!.y - centres[b]!.y)).toBeGreaterThan(20);

        // The last frame's trace image: pixels changed along each long track's path only.
        const visualization = last!.visualization as VadImage;
        const drawn = await visualization.pixels();
        const plain = await frames.at(-1)!.pixels();
        let changed = 0;
        for (let k = 0; k < drawn.data.length; k += 3) if (drawn.data[k] !== plain.data[k] || drawn.data[k + 1] !== plain.data[k + 1] || drawn.data[k + 2] !== plain.data[k + 2]) changed++;
        expect(changed).toBeGreaterThan(100);
        // A path ~ (frames · step) long and 3 px thick per track covers far less than a tenth of the frame.
        expect(changed).toBeLessThan(drawn.width * drawn.height * 0.05);
        const lastFrame = frameCount - 1;
        for (const list of longTracks) {
          const end = list.find((p) => p.frame === lastFrame);
          if (!end) continue;
          const x = Math.trunc(end.x - lastFrame * step);
          const y = Math.trunc(end.y);
          const k = (y * drawn.width + x) * 3;
          expect([drawn.data[k], drawn.data[k + 1], drawn.data[k + 2]]).not.toEqual([plain.data[k], plain.data[k + 1], plain.data[k + 2]]);
        }
        if (file === 'byte-tracker-v3-trace.json') await writeFile(path.join(os.tmpdir(), 'vad-trace-horses.png'), await visualization.encode('png'));
        if (file === 'trackers-ocsort-trace.json') await writeFile(path.join(os.tmpdir(), 'vad-trace-horses-ocsort.png'), await visualization.encode('png'));
      } finally {
        await workflow.dispose();
      }
    });
  }

  it('keeps one tracker per stream: a second stream starts its own ids', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    const workflow = createWorkflow(await load('byte-tracker-v3-trace.json'), { registry, host: { modelsDir: models } });
    try {
      const [frame] = await panningFrames();
      const ids = async (streamId: string) => ((await workflow.run({ inputs: { image: frame! }, streamId })).outputs[0]!.tracked as Detections).predictions.map((d) => d.tracker_id);
      const first = await ids('camera-1');
      await ids('camera-1');
      // Fresh stream, fresh tracker: the same ids again, all new.
      expect(await ids('camera-2')).toEqual(first);
      expect(first.length).toBeGreaterThan(0);
      expect(Math.min(...(first as number[]))).toBe(1);
    } finally {
      await workflow.dispose();
    }
  });

  it('byte_tracker v1 reads metadata and predictions; a single image gives a visualization (as Roboflow’s integration test asserts)', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    const workflow = createWorkflow(await load('byte-tracker-v1-metadata.json'), { registry, host: { modelsDir: models } });
    try {
      const [frame] = await panningFrames();
      const metadata = { video_identifier: 'v', frame_number: 1, frame_timestamp: new Date().toISOString(), fps: 30 };
      const [record] = (await workflow.run({ inputs: { image: frame!, video_metadata: metadata } })).outputs;
      expect((record!.tracked as Detections).predictions.length).toBeGreaterThan(0);
      // A bad parameter through a selector is named in the error.
      await expect(workflow.run({ inputs: { image: frame!, video_metadata: metadata, lost_track_buffer: 'many' }, streamId: 'other' })).rejects.toThrow(/lost_track_buffer/);
      const trace = createWorkflow(await load('trackers-sort-trace.json'), { registry, host: { modelsDir: models } });
      try {
        const [single] = (await trace.run({ inputs: { image: frame! } })).outputs;
        expect(single!.visualization).toBeInstanceOf(VadImage);
      } finally {
        await trace.dispose();
      }
      // Roboflow's trace-visualization test runs every tracker, trackers_ocsort@v1 with its defaults among them, on one image.
      const ocSort = createWorkflow(await load('trackers-ocsort-defaults.json'), { registry, host: { modelsDir: models } });
      try {
        const [single] = (await ocSort.run({ inputs: { image: frame! } })).outputs;
        expect(Object.keys(single!).sort()).toEqual(['predictions', 'tracked', 'visualization']);
        expect(single!.visualization).toBeInstanceOf(VadImage);
        // One frame only starts tracks: nothing is reported yet.
        expect((single!.tracked as Detections).predictions).toEqual([]);
      } finally {
        await ocSort.dispose();
      }
    } finally {
      await workflow.dispose();
    }
  });

  it('trackers_ocsort@v1 with Roboflow’s defaults: only detections of confidence ≥ 0.6 are tracked, each id stays on one horse', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    const workflow = createWorkflow(await load('trackers-ocsort-defaults.json'), { registry, host: { modelsDir: models } });
    try {
      const frames = await panningFrames();
      const positions = new Map<number, { x: number; y: number }[]>();
      let reported = 0;
      let confident = 0;
      for (const [i, image] of frames.entries()) {
        const [record] = (await workflow.run({ inputs: { image }, streamId: 'pan' })).outputs;
        const detected = (record!.predictions as Detections).predictions;
        const tracked = (record!.tracked as Detections).predictions;
        for (const detection of tracked) {
          expect(detection.confidence).toBeGreaterThanOrEqual(0.6);
          const list = positions.get(detection.tracker_id!) ?? positions.set(detection.tracker_id!, []).get(detection.tracker_id!)!;
          list.push({ x: detection.x + i * step, y: detection.y });
        }
        reported += tracked.length;
        if (i > 0) confident += detected.filter((d) => d.confidence >= 0.6).length;
      }
      // Some detections near 0.6 come and go, and a track that missed a frame is hidden for two; most confident ones are still reported.
      expect(reported).toBeGreaterThan(confident * 0.6);
      expect(Math.min(...positions.keys())).toBe(0);
      for (const list of positions.values()) for (let k = 1; k < list.length; k++) expect(Math.hypot(list[k]!.x - list[k - 1]!.x, list[k]!.y - list[k - 1]!.y)).toBeLessThan(30);
    } finally {
      await workflow.dispose();
    }
  });

  it('detection_event_log@v1 as Roboflow’s integration test runs it: three runs of one image, frame_threshold 1', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    let now = 1_726_570_875_000;
    const workflow = createWorkflow(await load('detection-event-log.json'), { registry, host: { modelsDir: models, clock: () => now } });
    try {
      const [frame] = await panningFrames();
      let record: Record<string, unknown> | undefined;
      for (let run = 0; run < 3; run++) {
        [record] = (await workflow.run({ inputs: { image: frame! } })).outputs;
        now += 1000;
      }
      const ids = (record!.tracked as Detections).predictions.map((d) => String(d.tracker_id)).sort();
      expect(ids.length).toBeGreaterThanOrEqual(2);
      const log = record!.event_log as { logged: Record<string, Record<string, unknown>>; pending: Record<string, unknown> };
      expect(record!.total_logged).toBe(ids.length);
      expect(record!.total_pending).toBe(0);
      expect(log.pending).toEqual({});
      expect(Object.keys(log.logged).sort()).toEqual(ids);
      for (const id of ids) {
        expect(log.logged[id]).toEqual({
          tracker_id: Number(id),
          class_name: '17',
          first_seen_frame: 1,
          first_seen_timestamp: 1726570875,
          last_seen_frame: 3,
          last_seen_timestamp: 1726570877,
          first_seen_relative: 0,
          last_seen_relative: 2 / 30,
          frame_count: 3,
        });
      }
      expect(record!.passed_through).toEqual(record!.tracked);
    } finally {
      await workflow.dispose();
    }
  });

  it('detection_event_log@v1 over the panning sequence, then empty frames: events follow the tracker, and leave as complete events once stale', async () => {
    const { registry } = await createStandardRegistry({ plugins: [] });
    let now = 1_700_000_000_000;
    const workflow = createWorkflow(await load('detection-event-log.json'), { registry, host: { modelsDir: models, clock: () => now } });
    try {
      const frames = await panningFrames();
      // Seven empty (mid-grey) frames after the sequence: the horses have left.
      const blank = VadImage.fromPixels({ data: new Uint8Array(windowWidth * windowHeight * 3).fill(128), width: windowWidth, height: windowHeight });
      const sequence = [...frames, ...Array.from({ length: 7 }, () => blank)];
      // The log's rules replayed from the tracker's output (frame_threshold 5, flush every 5 frames, stale after 3).
      const seen = new Map<number, { first: number; last: number; count: number }>();
      let lastFlush = 1;
      const completeAt = new Map<number, string[]>();
      for (const [i, image] of sequence.entries()) {
        const frame = i + 1;
        const [record] = (await workflow.run({ inputs: { image, frame_threshold: 5 }, streamId: 'pan' })).outputs;
        const tracked = (record!.tracked as Detections).predictions;
        if (i >= frames.length) expect(tracked).toEqual([]);
        const complete: string[] = [];
        if (frame - lastFlush >= 5) {
          for (const [id, event] of seen) {
            if (frame - event.last <= 3) continue;
            seen.delete(id);
            if (event.count >= 5) complete.push(String(id));
          }
          lastFlush = frame;
        }
        for (const detection of tracked) {
          const event = seen.get(detection.tracker_id!);
          if (event) Object.assign(event, { last: frame, count: event.count + 1 });
          else seen.set(detection.tracker_id!, { first: frame, last: frame, count: 1 });
        }
        const log = record!.event_log as { logged: Record<string, Record<string, number>>; pending: Record<string, Record<string, number>> };
        const expected = [...seen].filter(([, e]) => e.count >= 5).map(([id]) => String(id));
        expect(Object.keys(log.logged).sort()).toEqual(expected.sort());
        expect(record!.total_logged).toBe(expected.length);
        expect(record!.total_pending).toBe(seen.size - expected.length);
        for (const [id, event] of seen) {
          const entry = (event.count >= 5 ? log.logged : log.pending)[String(id)]!;
          expect([entry.first_seen_frame, entry.last_seen_frame, entry.frame_count]).toEqual([event.first, event.last, event.count]);
          expect(entry.last_seen_relative).toBeCloseTo((event.last - 1) / 30, 12);
          expect(entry.last_seen_timestamp).toBe(1_700_000_000 + (event.last - 1) * 0.25);
        }
        expect(Object.keys(record!.complete_events as object).sort()).toEqual(complete.sort());
        if (complete.length > 0) completeAt.set(frame, complete);
        now += 250;
      }
      // The horses tracked through the sequence leave the log together at frame 21 (the first flush more than 3 frames after frame 14).
      const finalFlush = completeAt.get(21) ?? [];
      expect(finalFlush.length).toBeGreaterThanOrEqual(2);
    } finally {
      await workflow.dispose();
    }
  });
});
