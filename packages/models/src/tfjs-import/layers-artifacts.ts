import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ModelLoadError } from '@vad/core';
import { resolvePackageRoot } from '../runtime/model-source.js';

/** One layer of a Keras / TensorFlow.js layers model topology. */
export interface KerasLayer {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: unknown[];
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; min?: number; scale?: number };
}

/** A TensorFlow.js layers model: its topology and its weights, dequantised to float32. */
export interface LayersModelArtifacts {
  /** A readable name for errors ("nsfwjs/inception_v3"). */
  name: string;
  layers: KerasLayer[];
  inputLayers: string[];
  outputLayers: string[];
  weights: Map<string, { shape: number[]; data: Float32Array }>;
}

interface ModelJson {
  modelTopology: {
    model_config?: { class_name?: string; config: ModelConfig };
    class_name?: string;
    config?: ModelConfig;
  };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}
interface ModelConfig {
  layers: KerasLayer[];
  input_layers: [string, number, number][];
  output_layers: [string, number, number][];
}

/** The models nsfwjs@4.4.0 ships as TensorFlow.js layers models (its graph model "mobilenet_v2_mid" is not one). */
export const nsfwjsLayersModels = { inception_v3: 6, mobilenet_v2: 1 } as const;
export type NsfwjsModelName = keyof typeof nsfwjsLayersModels;

function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

// one monomorphic loop per element type: a loop over Uint8Array | Uint16Array is several times slower
function dequantizeUint8(values: Uint8Array, scale: number, minimum: number): Float32Array {
  const data = new Float32Array(values.length);
  for (let index = 0; index < values.length; index++) data[index] = values[index]! * scale + minimum;
  return data;
}
function dequantizeUint16(values: Uint16Array, scale: number, minimum: number): Float32Array {
  const data = new Float32Array(values.length);
  for (let index = 0; index < values.length; index++) data[index] = values[index]! * scale + minimum;
  return data;
}
function dequantizeFloat16(values: Uint16Array): Float32Array {
  const data = new Float32Array(values.length);
  for (let index = 0; index < values.length; index++) data[index] = float16ToFloat32(values[index]!);
  return data;
}

/**
 * Splits the concatenated weight bytes by the manifest and dequantises them the way TensorFlow.js
 * does (`value = quantized × scale + min` for uint8/uint16, IEEE half for float16).
 */
export function decodeWeights(name: string, specs: readonly WeightSpec[], bytes: Uint8Array): Map<string, { shape: number[]; data: Float32Array }> {
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((product, dim) => product * dim, 1);
    const quantization = spec.quantization;
    const bytesPerValue = quantization ? (quantization.dtype === 'uint8' ? 1 : 2) : 4;
    const end = offset + count * bytesPerValue;
    if (end > bytes.byteLength) {
      throw new ModelLoadError({ message: `${name}: weight "${spec.name}" needs bytes ${offset}–${end} but the weight data has ${bytes.byteLength}`, path: name });
    }
    const slice = new Uint8Array(bytes.subarray(offset, end)); // a copy: aligned for the typed-array views below
    let data: Float32Array;
    if (!quantization) {
      data = spec.dtype === 'int32' ? Float32Array.from(new Int32Array(slice.buffer)) : new Float32Array(slice.buffer);
    } else if (quantization.dtype === 'float16') {
      data = dequantizeFloat16(new Uint16Array(slice.buffer));
    } else if (quantization.dtype === 'uint8') {
      data = dequantizeUint8(slice, quantization.scale ?? 1, quantization.min ?? 0);
    } else {
      data = dequantizeUint16(new Uint16Array(slice.buffer), quantization.scale ?? 1, quantization.min ?? 0);
    }
    weights.set(spec.name, { shape: spec.shape, data });
    offset = end;
  }
  if (offset !== bytes.byteLength) {
    throw new ModelLoadError({ message: `${name}: the weight data has ${bytes.byteLength} bytes but its manifest describes ${offset}`, path: name });
  }
  return weights;
}

function artifactsFromJson(name: string, json: ModelJson, weightBytes: Uint8Array): LayersModelArtifacts {
  const config = json.modelTopology.model_config?.config ?? json.modelTopology.config;
  if (!config?.layers) {
    throw new ModelLoadError({ message: `${name} is not a TensorFlow.js layers model (no modelTopology layers; graph models are not supported)`, path: name });
  }
  return {
    name,
    layers: config.layers,
    inputLayers: config.input_layers.map(([layer]) => layer),
    outputLayers: config.output_layers.map(([layer]) => layer),
    weights: decodeWeights(name, json.weightsManifest.flatMap((group) => group.weights), weightBytes),
  };
}

/** A layers model from a folder with model.json and its weight files (the TensorFlow.js save format). */
export async function loadLayersModelFolder(folder: string): Promise<LayersModelArtifacts> {
  const file = path.join(folder, 'model.json');
  let json: ModelJson;
  try {
    json = JSON.parse(await readFile(file, 'utf8')) as ModelJson;
  } catch (cause) {
    throw new ModelLoadError({ message: `${file} could not be read as a TensorFlow.js model.json (${(cause as Error).message})`, path: file, cause });
  }
  const parts = await Promise.all(
    json.weightsManifest.flatMap((group) => group.paths).map(async (part) => {
      try {
        return new Uint8Array(await readFile(path.join(folder, part)));
      } catch (cause) {
        throw new ModelLoadError({ message: `weight file ${path.join(folder, part)} of ${file} could not be read`, path: path.join(folder, part), cause });
      }
    }),
  );
  return artifactsFromJson(file, json, Buffer.concat(parts));
}

/**
 * One of the layers models shipped inside the installed nsfwjs package. Its files are browserify
 * bundles (`model.min.js` exports model.json as an object, each `group1-shardNofM.min.js` exports its
 * weight bytes as a base64 string); the weights are uint8-quantised with a min and a scale per tensor.
 */
export async function loadNsfwjsModel(model: NsfwjsModelName, options: { resolveFrom?: string } = {}): Promise<LayersModelArtifacts> {
  const shards = nsfwjsLayersModels[model];
  if (!shards) throw new ModelLoadError({ message: `nsfwjs has no layers model "${model}" (known: ${Object.keys(nsfwjsLayersModels).join(', ')})`, path: model });
  const root = resolvePackageRoot('nsfwjs', options.resolveFrom);
  const folder = path.join(root, 'dist', 'models', model);
  const require = createRequire(path.join(folder, 'index.js'));
  const name = `nsfwjs/dist/models/${model}`;
  let json: ModelJson;
  let weightBytes: Uint8Array;
  try {
    json = require('./model.min.js') as ModelJson;
    const group = json.weightsManifest[0]!;
    const encoded = group.paths.map((part) => require(`./${part}.min.js`) as string);
    if (group.paths.length !== shards || json.weightsManifest.length !== 1) throw new Error(`expected ${shards} shards in one group`);
    weightBytes = Buffer.concat(encoded.map((base64) => Buffer.from(base64, 'base64')));
  } catch (cause) {
    throw new ModelLoadError({ message: `${name} could not be read from ${folder} (${(cause as Error).message})`, path: folder, cause });
  }
  return artifactsFromJson(name, json, weightBytes);
}

/**
 * A layers model from TensorFlow.js ModelArtifacts (what `model.save(tf.io.withSaveHandler(…))` or
 * `tf.io.fromMemory` hold): `modelTopology` plus `weightSpecs` and `weightData`.
 */
export function layersModelFromArtifacts(
  name: string,
  artifacts: { modelTopology: unknown; weightSpecs?: WeightSpec[]; weightData?: ArrayBuffer | ArrayBuffer[] },
): LayersModelArtifacts {
  const data = artifacts.weightData;
  const bytes = data === undefined ? new Uint8Array(0) : Array.isArray(data) ? Buffer.concat(data.map((part) => new Uint8Array(part))) : new Uint8Array(data);
  return artifactsFromJson(name, { modelTopology: artifacts.modelTopology as ModelJson['modelTopology'], weightsManifest: [{ paths: [], weights: artifacts.weightSpecs ?? [] }] }, bytes);
}
