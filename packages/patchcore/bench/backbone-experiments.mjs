// Experimental backbones built straight from @vad/models' importer (any taps, any input size),
// for the accuracy experiments recorded in BENCHMARKS.md.
import { convertLayersModel, createSessionFromBytes, encodeModel, loadNsfwjsModel } from '@vad/models';
import { loadFeatureBackbone } from '../dist/index.js';

const artifactsCache = new Map();

export async function createExperimentalBackbone({ name = 'inception_v3', taps = ['mixed5'], inputSize = 192, id } = {}) {
  // ResNet50 needs its input convention (BGR, means) in front, which the product's import adds
  if (name === 'resnet50') return loadFeatureBackbone(name, { taps, inputSize });
  if (!artifactsCache.has(name)) artifactsCache.set(name, await loadNsfwjsModel(name));
  const onnx = convertLayersModel(artifactsCache.get(name), { outputs: taps, dynamicSize: true });
  const session = await createSessionFromBytes(encodeModel(onnx), { cache: false, name: `${name} ${taps.join('+')}` });
  const outputNames = session.outputNames;
  const probe = await session.run({ [session.inputNames[0]]: { data: new Float32Array(3 * inputSize * inputSize), dims: [1, 3, inputSize, inputSize] } });
  const tapShapes = outputNames.map((output) => ({ channels: probe[output].dims[1], height: probe[output].dims[2], width: probe[output].dims[3] }));
  return {
    id: id ?? `${name}:${taps.join('+')}@${inputSize}`,
    inputSize,
    normalization: 'unit',
    taps,
    tapShapes,
    outputNames,
    async run(input, dims) {
      const outputs = await session.run({ [session.inputNames[0]]: { data: input, dims } });
      return outputNames.map((output) => ({ data: outputs[output].data, dims: outputs[output].dims }));
    },
    dispose: () => session.dispose(),
  };
}
