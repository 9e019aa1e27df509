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
