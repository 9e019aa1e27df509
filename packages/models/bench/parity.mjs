// Parity of the imported backbones with the original nsfwjs models run by TensorFlow.js (wasm),
// on every photo in ../shared/datasets/photos. Usage: node bench/parity.mjs (after `pnpm build`).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { VadImage } from '@vad/core';
import { convertLayersModel, createSessionFromBytes, encodeModel, loadBackbone, loadNsfwjsModel, preprocessImages, resolvePackageRoot } from '../dist/index.js';

const shared = process.env.VAD_SHARED ?? path.resolve(import.meta.dirname, '../../../../shared');
const folder = path.join(shared, 'datasets/photos');
const names = readdirSync(folder).filter((name) => name.endsWith('.jpg')).sort();
const images = await Promise.all(names.map((name) => VadImage.fromBytes(readFileSync(path.join(folder, name)))));
const cacheDir = process.env.VAD_CACHE_DIR ?? path.join(os.tmpdir(), 'vad-bench-cache');
const classNames = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'];

const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-wasm');
await tf.setBackend('wasm');
await tf.ready();

async function reference(name, outputs) {
  const modelFolder = path.join(resolvePackageRoot('nsfwjs'), 'dist', 'models', name);
  const require = createRequire(path.join(modelFolder, 'index.js'));
  const json = require('./model.min.js');
  const group = json.weightsManifest[0];
  const bytes = Buffer.concat(group.paths.map((part) => Buffer.from(require(`./${part}.min.js`), 'base64')));
  const full = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }));
  return tf.model({ inputs: full.inputs, outputs: outputs.map((output) => full.getLayer(output).output) });
}

const ranking = (scores) => Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]);
console.log('| backbone | photo | output | max abs diff | max abs value | relative |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const name of ['inception_v3', 'mobilenet_v2']) {
  const backbone = await loadBackbone(name, { cacheDir });
  const classifier = await createSessionFromBytes(encodeModel(convertLayersModel(await loadNsfwjsModel(name))), { cache: false });
  const taps = backbone.taps.map((tap) => tap.name);
  const model = await reference(name, [...taps, 'dense_3']);
  const rankings = [];
  for (const [index, image] of images.entries()) {
    const { tensor } = await preprocessImages([image], { ...backbone.preprocessing, width: backbone.inputSize, height: backbone.inputSize });
    const ours = await backbone.runTensor(tensor);
    const { dense_3: classes } = await classifier.run({ input: tensor });
    const theirs = tf.tidy(() => {
      const outputs = model.predict(tf.tensor(tensor.data, tensor.dims).transpose([0, 2, 3, 1]));
      return outputs.map((output) => (output.rank === 4 ? output.transpose([0, 3, 1, 2]) : output).dataSync());
    });
    [...taps, 'classes'].forEach((output, outputIndex) => {
      const mine = output === 'classes' ? classes.data : ours.maps[output].data;
      const reference = theirs[outputIndex];
      let difference = 0;
      let scale = 0;
      for (let k = 0; k < reference.length; k++) {
        difference = Math.max(difference, Math.abs(reference[k] - mine[k]));
        scale = Math.max(scale, Math.abs(reference[k]));
      }
      console.log(`| ${name} | ${names[index]} | ${output} | ${difference.toExponential(2)} | ${scale.toFixed(3)} | ${(difference / scale).toExponential(2)} |`);
    });
    const same = ranking(classes.data).join() === ranking(theirs[taps.length]).join();
    rankings.push(`${names[index]}: ${ranking(classes.data).map((k) => classNames[k]).join(' > ')} (${same ? 'same as tfjs' : 'DIFFERENT from tfjs: ' + ranking(theirs[taps.length]).map((k) => classNames[k]).join(' > ')})`);
  }
  console.log(`\n${name} class ranking (all 5 nsfwjs classes):\n${rankings.map((line) => `- ${line}`).join('\n')}\n`);
  await classifier.dispose();
  await backbone.dispose();
}
