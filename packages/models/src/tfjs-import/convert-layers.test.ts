import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeModel } from '../onnx/onnx-model.js';
import { createSessionFromBytes } from '../runtime/session.js';
import { convertLayersModel } from './convert-layers.js';
import { layersModelFromArtifacts, type LayersModelArtifacts, type WeightSpec } from './layers-artifacts.js';

/**
 * A small functional Keras model that exercises every layer the importer knows, on an odd input size
 * so that TF 'same' padding is asymmetric: the importer must reproduce TF exactly.
 */
function buildTinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [11, 13, 3], name: 'image' });
  const padded = tf.layers.zeroPadding2d({ padding: [[1, 2], [0, 1]], name: 'pad' }).apply(input) as tf.SymbolicTensor;
  const conv = tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'conv' }).apply(padded) as tf.SymbolicTensor;
  const normalized = tf.layers.batchNormalization({ name: 'conv_bn', epsilon: 1e-3 }).apply(conv) as tf.SymbolicTensor;
  const relu6 = tf.layers.reLU({ maxValue: 6, name: 'relu6' }).apply(normalized) as tf.SymbolicTensor;
  const depthwise = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, depthMultiplier: 2, padding: 'same', name: 'depthwise', activation: 'relu' }).apply(relu6) as tf.SymbolicTensor;
  const sameConv = tf.layers.conv2d({ filters: 12, kernelSize: [3, 2], strides: 2, padding: 'same', name: 'same_conv' }).apply(relu6) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'sum' }).apply([depthwise, sameConv]) as tf.SymbolicTensor;
  const standaloneNorm = tf.layers.batchNormalization({ name: 'standalone_bn', scale: false }).apply(sum) as tf.SymbolicTensor;
  const averaged = tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'average' }).apply(standaloneNorm) as tf.SymbolicTensor;
  const maxed = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'same', name: 'max' }).apply(standaloneNorm) as tf.SymbolicTensor;
  const joined = tf.layers.concatenate({ axis: -1, name: 'joined' }).apply([averaged, maxed]) as tf.SymbolicTensor;
  const activated = tf.layers.activation({ activation: 'sigmoid', name: 'activated' }).apply(joined) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'pooled' }).apply(activated) as tf.SymbolicTensor;
  const flat = tf.layers.flatten({ name: 'flat' }).apply(activated) as tf.SymbolicTensor;
  const both = tf.layers.concatenate({ name: 'both' }).apply([pooled, flat]) as tf.SymbolicTensor;
  const dropped = tf.layers.dropout({ rate: 0.5, name: 'dropped' }).apply(both) as tf.SymbolicTensor;
  const dense = tf.layers.dense({ units: 4, activation: 'softmax', name: 'dense' }).apply(dropped) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: dense });
  // non-trivial BatchNorm statistics
  for (const name of ['conv_bn', 'standalone_bn']) {
    const layer = model.getLayer(name);
    layer.setWeights(
      layer.getWeights().map((weight, index) => {
        const variance = layer.weights[index]!.name.includes('moving_variance');
        return tf.add(tf.mul(tf.randomUniform(weight.shape, 0, 1, 'float32', 11 + index), variance ? 2 : 0.8), variance ? 0.2 : -0.1);
      }),
    );
  }
  return model;
}

async function artifactsOf(model: tf.LayersModel): Promise<LayersModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return layersModelFromArtifacts('tiny', { modelTopology: saved!.modelTopology, weightSpecs: saved!.weightSpecs as WeightSpec[], weightData: saved!.weightData as ArrayBuffer });
}

function maxDifference(reference: tf.Tensor, ours: Float32Array): number {
  const nchw = reference.rank === 4 ? reference.transpose([0, 3, 1, 2]) : reference;
  const values = nchw.dataSync();
  expect(values.length).toBe(ours.length);
  let maximum = 0;
  for (let index = 0; index < values.length; index++) maximum = Math.max(maximum, Math.abs(values[index]! - ours[index]!));
  return maximum;
}

describe('convertLayersModel', () => {
  let model: tf.LayersModel;
  let artifacts: LayersModelArtifacts;
  const taps = ['relu6', 'sum', 'average', 'max', 'pooled', 'dense'];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = buildTinyModel();
    artifacts = await artifactsOf(model);
  });

  it('matches TensorFlow.js on every supported layer, with TF "same" padding on odd sizes, in NCHW', async () => {
    const onnx = convertLayersModel(artifacts, { outputs: taps });
    expect(onnx.graph.node.filter((node) => node.opType === 'Pad')).toHaveLength(0); // padding merged into the conv
    expect(onnx.graph.node.some((node) => node.name === 'conv_bn/multiply')).toBe(false); // folded
    expect(onnx.graph.node.some((node) => node.name === 'standalone_bn/multiply')).toBe(true); // after an Add: not foldable
    const session = await createSessionFromBytes(encodeModel(onnx), { cache: false });
    const image = tf.randomUniform([2, 11, 13, 3], 0, 1, 'float32', 5);
    const nchw = image.transpose([0, 3, 1, 2]);
    const ours = await session.run({ input: { data: nchw.dataSync() as Float32Array, dims: nchw.shape } });
    const reference = tf.model({ inputs: model.inputs, outputs: taps.map((tap) => model.getLayer(tap).output as tf.SymbolicTensor) }).predict(image) as tf.Tensor[];
    taps.forEach((tap, index) => {
      const expected = reference[index]!;
      expect(ours[tap]!.dims).toEqual(expected.rank === 4 ? [expected.shape[0], expected.shape[3], expected.shape[1], expected.shape[2]] : expected.shape);
      expect(maxDifference(expected, ours[tap]!.data as Float32Array), tap).toBeLessThan(1e-4);
    });
    await session.dispose();
  });

  it('ends at named layers and converts only what they need', () => {
    const onnx = convertLayersModel(artifacts, { outputs: ['relu6', 'depthwise'] });
    expect(onnx.graph.output.map((output) => output.name)).toEqual(['relu6', 'depthwise']);
    expect(onnx.graph.node.some((node) => node.opType === 'Gemm')).toBe(false);
    expect(onnx.graph.input[0]!.type?.tensorType?.shape?.dim.map((dim) => dim.dimValue ?? dim.dimParam)).toEqual(['batch', 3, 11, 13]);
    expect(() => convertLayersModel(artifacts, { outputs: ['nope'] })).toThrow('tiny has no layer "nope" to end at');
    expect(() => convertLayersModel(artifacts, { outputs: ['relu_6'] })).toThrow(/closest names: "relu6"/);
  });

  it('names a layer it does not support', () => {
    const broken = { ...artifacts, layers: artifacts.layers.map((layer) => (layer.name === 'max' ? { ...layer, class_name: 'LocallyConnected2D' } : layer)) };
    expect(() => convertLayersModel(broken)).toThrow('tiny: layer "max" (LocallyConnected2D) is a layer type the importer does not support');
    expect(() => convertLayersModel(broken, { outputs: ['average'] })).not.toThrow(); // not needed: not converted
  });
});
