import { InvalidInputError, loadSharp, ModelLoadError, newDetectionId, type Detection, type Detections, type VadImage } from '@vad/core';
import { buildModel, createSessionFromBytes, createSessionFromFile, describeModelSource, resolveModelSource, type ModelSession, type ModelSource, type TensorValue } from '@vad/models';
import { classNamesOfModelFile } from '../class-names.js';
import { prepareDetectorInput } from '../detector-input.js';
import { compressCounts, labelRuns, type CocoRle } from './coco-rle.js';

export interface SemanticSegmenterOptions {
  model: ModelSource;
  /** Class names in class-id order (id 0 is the background); else the model's metadata; else the ids. */
  classNames?: readonly string[];
  /** Network input size when the model does not fix it. Default 512. */
  inputWidth?: number;
  inputHeight?: number;
  executionProviders?: readonly string[];
  cacheDir?: string;
  stepName?: string;
}

/** One class present in the image: a Roboflow semantic segmentation prediction (its mask as COCO RLE). */
export interface SemanticSegmentationDetection extends Detection {
  rle_mask: CocoRle;
}

export interface SemanticSegmenter {
  readonly classNames: readonly string[];
  readonly inputWidth: number;
  readonly inputHeight: number;
  /**
   * One prediction per class other than 0 (the background) that covers a pixel, as Roboflow's block
   * returns them: the class's bounding box (inclusive pixel indices, as theirs), its mean pixel
   * confidence, its mask as COCO RLE in image pixels. With `confidence`, pixels whose top class is
   * less probable count as background.
   */
  segment(image: VadImage, options?: { confidence?: number }): Promise<Detections>;
  dispose(): Promise<void>;
}

/** The inputs Roboflow's semantic segmentation models take: RGB stretched to the input, (x/255 − 0.5)/0.5. */
const semanticInput = { resize: 'stretch' as const, channelOrder: 'rgb' as const, normalization: { mean: [127.5, 127.5, 127.5] as const, std: [127.5, 127.5, 127.5] as const, scale: 1 } };

type OutputLayout = { kind: 'scores'; classes: number } | { kind: 'labels' };

/**
 * What the first output may be: float scores [1, C, h, w] (logits, or probabilities when every
 * pixel's scores already lie in 0–1 and sum to 1), or integer class ids [1, h, w] / [1, 1, h, w].
 */
function outputLayout(dims: readonly number[], type: string): OutputLayout | string {
  const integer = type === 'int64' || type === 'int32' || type === 'uint8';
  if (dims[0] !== undefined && dims[0] !== 1 && dims[0] !== -1) return `batch ${dims[0]}`;
  if (integer && (dims.length === 3 || (dims.length === 4 && dims[1] === 1))) return { kind: 'labels' };
  if (type === 'float32' && dims.length === 4 && (dims[1] ?? 0) > 1) return { kind: 'scores', classes: dims[1]! };
  if (type === 'float32' && dims.length === 4 && dims[1] === -1) return { kind: 'scores', classes: -1 };
  return `a ${type} output [${dims.join(', ')}]`;
}

/** scores [1, C, h, w] → label bytes, confidence bytes under both readings, and what tells them apart. */
function buildScoresGraph(): Uint8Array {
  const toBytes = (input: string, output: string) => [
    { op: 'Mul', inputs: [input, 'full_scale'], outputs: [`${output}_scaled`] },
    { op: 'Round', inputs: [`${output}_scaled`], outputs: [`${output}_rounded`] },
    { op: 'Clip', inputs: [`${output}_rounded`, 'zero', 'full_scale'], outputs: [`${output}_clipped`] },
    { op: 'Cast', inputs: [`${output}_clipped`], outputs: [output], attributes: { to: 2 } },
  ];
  return buildModel({
    name: 'semantic_scores',
    inputs: [{ name: 'scores', type: 'float32', shape: [1, 'classes', 'height', 'width'] }],
    outputs: [
      { name: 'labels', type: 'uint8' },
      { name: 'softmax_confidence', type: 'uint8' },
      { name: 'raw_confidence', type: 'uint8' },
      { name: 'minimum', type: 'float32' },
      { name: 'maximum', type: 'float32' },
      { name: 'sum_error', type: 'float32' },
    ],
    nodes: [
      { op: 'ArgMax', inputs: ['scores'], outputs: ['argmax'], attributes: { axis: 1, keepdims: 0 } },
      { op: 'Cast', inputs: ['argmax'], outputs: ['labels'], attributes: { to: 2 } },
      { op: 'Softmax', inputs: ['scores'], outputs: ['probabilities'], attributes: { axis: 1 } },
      { op: 'ReduceMax', inputs: ['probabilities'], outputs: ['softmax_top'], attributes: { axes: [1], keepdims: 0 } },
      ...toBytes('softmax_top', 'softmax_confidence'),
      { op: 'ReduceMax', inputs: ['scores'], outputs: ['raw_top'], attributes: { axes: [1], keepdims: 0 } },
      ...toBytes('raw_top', 'raw_confidence'),
      { op: 'ReduceMin', inputs: ['scores'], outputs: ['minimum'], attributes: { keepdims: 0 } },
      { op: 'ReduceMax', inputs: ['scores'], outputs: ['maximum'], attributes: { keepdims: 0 } },
      { op: 'ReduceSum', inputs: ['scores', 'class_axis'], outputs: ['sums'], attributes: { keepdims: 0 } },
      { op: 'Sub', inputs: ['sums', 'one'], outputs: ['sum_offset'] },
      { op: 'Abs', inputs: ['sum_offset'], outputs: ['sum_distance'] },
      { op: 'ReduceMax', inputs: ['sum_distance'], outputs: ['sum_error'], attributes: { keepdims: 0 } },
    ],
    initializers: [
      { name: 'full_scale', dims: [], data: new Float32Array([255]) },
      { name: 'zero', dims: [], data: new Float32Array([0]) },
      { name: 'one', dims: [], data: new Float32Array([1]) },
      { name: 'class_axis', dims: [1], data: new BigInt64Array([1n]) },
    ],
    opset: 17,
  });
}

/** Integer class ids of any shape → bytes. */
function buildLabelsGraph(type: 'int64' | 'int32' | 'uint8'): Uint8Array {
  return buildModel({
    name: 'semantic_labels',
    inputs: [{ name: 'ids', type, shape: ['pixels'] }],
    outputs: [{ name: 'labels', type: 'uint8' }],
    nodes: [{ op: 'Cast', inputs: ['ids'], outputs: ['labels'], attributes: { to: 2 } }],
    opset: 17,
  });
}

/** A byte map at the model's resolution stretched to the image's, nearest neighbour (as Roboflow resizes its maps). */
async function toImageSize(bytes: Uint8Array, width: number, height: number, imageWidth: number, imageHeight: number): Promise<Uint8Array> {
  if (width === imageWidth && height === imageHeight) return bytes;
  const sharp = await loadSharp();
  const resized = await sharp(bytes, { raw: { width, height, channels: 1 } })
    .resize(imageWidth, imageHeight, { fit: 'fill', kernel: 'nearest' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return new Uint8Array(resized.buffer, resized.byteOffset, resized.byteLength);
}

/** Opens an ONNX semantic segmentation export (one image input [1, 3, H, W]; its first output per outputLayout). */
export async function createSemanticSegmenter(options: SemanticSegmenterOptions): Promise<SemanticSegmenter> {
  const { stepName } = options;
  const name = describeModelSource(options.model);
  const refuse = (what: string) =>
    new ModelLoadError({
      message: `model_id ${name} is not a semantic segmentation export: its first output is ${what}; expected float class scores [1, classes, h, w] (logits or per-pixel probabilities) or integer class ids [1, h, w] (a detector or instance segmentation export belongs in the object detection / instance segmentation model step)`,
      stepName,
      property: 'model_id',
      path: name,
    });
  const file = await resolveModelSource(options.model, { cacheDir: options.cacheDir });
  const session = await createSessionFromFile(file, { executionProviders: options.executionProviders });
  const helpers = new Map<string, Promise<ModelSession>>();
  const helper = (key: string, bytes: () => Uint8Array) => {
    let opened = helpers.get(key);
    if (!opened) helpers.set(key, (opened = createSessionFromBytes(bytes(), { name: `semantic segmentation ${key} graph`, executionProviders: options.executionProviders })));
    return opened;
  };
  const disposeAll = async () => {
    const opened = [...helpers.values()];
    helpers.clear();
    await Promise.all([session.dispose(), ...opened.map((h) => h.then((s) => s.dispose(), () => undefined))]);
  };
  try {
    const ort = session.inferenceSession as unknown as {
      inputMetadata?: ReadonlyArray<{ shape?: ReadonlyArray<number | string> }>;
      outputMetadata?: ReadonlyArray<{ name: string; type?: string; shape?: ReadonlyArray<number | string> }>;
    };
    if (session.inputNames.length !== 1) throw refuse(`not reached: it has ${session.inputNames.length} inputs (one image input [1, 3, H, W] is expected)`);
    const inputShape = ort.inputMetadata?.[0]?.shape;
    const fixed = (value: number | string | undefined) => (typeof value === 'number' && value > 0 ? value : undefined);
    const inputHeight = fixed(inputShape?.[2]) ?? options.inputHeight ?? 512;
    const inputWidth = fixed(inputShape?.[3]) ?? options.inputWidth ?? 512;
    const declared = ort.outputMetadata?.find((o) => o.name === session.outputNames[0]);
    if (declared?.shape && declared.type) {
      const layout = outputLayout(declared.shape.map((d) => (typeof d === 'number' && d > 0 ? d : -1)), declared.type);
      if (typeof layout === 'string') throw refuse(layout);
    }
    const classNames = options.classNames ? [...options.classNames] : await classNamesOfModelFile(file, name);
    const nameOf = (id: number) => classNames?.[id] ?? String(id);

    const labelMaps = async (image: VadImage) => {
      const prepared = await prepareDetectorInput(image, { ...semanticInput, width: inputWidth, height: inputHeight });
      const results = await session.run({ [session.inputNames[0]!]: { data: prepared.tensor, dims: [1, 3, inputHeight, inputWidth] } }, { outputs: [session.outputNames[0]!] });
      const output = results[session.outputNames[0]!] as TensorValue;
      const type = output.data instanceof Float32Array ? 'float32' : output.data instanceof BigInt64Array ? 'int64' : output.data instanceof Int32Array ? 'int32' : output.data instanceof Uint8Array ? 'uint8' : 'other';
      const layout = outputLayout(output.dims, type);
      if (typeof layout === 'string') throw refuse(layout);
      const height = output.dims[output.dims.length - 2]!;
      const width = output.dims[output.dims.length - 1]!;
      if (layout.kind === 'labels') {
        const graph = await helper(type, () => buildLabelsGraph(type as 'int64' | 'int32' | 'uint8'));
        const { labels } = await graph.run({ ids: { data: output.data, dims: [width * height] } });
        return { labels: labels!.data as Uint8Array, confidence: undefined, width, height };
      }
      if (layout.classes > 256) throw refuse(`scores for ${layout.classes} classes (at most 256 fit a byte label map)`);
      if (classNames && classNames.length !== output.dims[1]) {
        throw new InvalidInputError({ message: `${options.classNames ? 'class_names has' : `the class names in ${name}'s metadata have`} ${classNames.length} entries, but the model scores ${output.dims[1]} classes`, stepName, property: 'class_names', path: name });
      }
      const graph = await helper('scores', buildScoresGraph);
      const out = await graph.run({ scores: output });
      const [minimum, maximum, sumError] = [out.minimum!, out.maximum!, out.sum_error!].map((t) => (t.data as Float32Array)[0]!);
      const probabilities = minimum! >= 0 && maximum! <= 1 && sumError! < 1e-3;
      return { labels: out.labels!.data as Uint8Array, confidence: (probabilities ? out.raw_confidence! : out.softmax_confidence!).data as Uint8Array, width, height };
    };

    return {
      get classNames() {
        return classNames ?? [];
      },
      inputWidth,
      inputHeight,
      async segment(image, { confidence: threshold } = {}) {
        const maps = await labelMaps(image);
        const labels = await toImageSize(maps.labels, maps.width, maps.height, image.width, image.height);
        const confidence = maps.confidence && (await toImageSize(maps.confidence, maps.width, maps.height, image.width, image.height));
        if (threshold !== undefined && threshold > 0 && confidence) {
          // Below the threshold a pixel is background; a copy, as the label map may be the graph's own output.
          const cut = Math.round(threshold * 255);
          const thresholded = new Uint8Array(labels);
          for (let i = 0; i < thresholded.length; i++) if (confidence[i]! < cut) thresholded[i] = 0;
          return predictionsOf(thresholded, confidence, image);
        }
        return predictionsOf(labels, confidence, image);
      },
      dispose: disposeAll,
    };

    function predictionsOf(labels: Uint8Array, confidence: Uint8Array | undefined, image: VadImage): Detections {
      const runs = labelRuns(labels, image.width, image.height, confidence);
      const predictions: SemanticSegmentationDetection[] = [...runs.entries()]
        .filter(([label]) => label !== 0)
        .sort(([a], [b]) => a - b)
        .map(([label, run]) => {
          const width = run.x2 - run.x1;
          const height = run.y2 - run.y1;
          return {
            x: run.x1 + width / 2,
            y: run.y1 + height / 2,
            width,
            height,
            confidence: confidence ? run.weightSum / run.pixels / 255 : 1,
            class: nameOf(label),
            class_id: label,
            detection_id: newDetectionId(),
            parent_id: image.id,
            rle_mask: { size: [image.height, image.width], counts: compressCounts(run.counts) },
          };
        });
      return { image: { width: image.width, height: image.height }, predictions };
    }
  } catch (error) {
    await disposeAll();
    throw error;
  }
}
