export { decodeModel, encodeModel, createTensorProto, tensorProtoToArray, onnxDataTypes, onnxAttributeTypes } from './onnx/onnx-model.js';
export type {
  OnnxModel,
  OnnxGraph,
  OnnxNode,
  OnnxAttribute,
  OnnxTensor,
  OnnxValueInfo,
  OnnxType,
  OnnxDimension,
  OnnxOperatorSet,
  OnnxStringEntry,
  TensorElementType,
} from './onnx/onnx-model.js';
export { buildModel, buildModelProto, createNode, createAttribute, createValueInfo } from './onnx/build-model.js';
export type { ModelSpec, NodeSpec, ValueSpec, InitializerSpec, AttributeValue } from './onnx/build-model.js';
export { createSessionFromBytes, createSessionFromFile, loadOnnxRuntime } from './runtime/session.js';
export type { ModelSession, SessionOptions, TensorValue, TensorData, GraphOptimizationLevel } from './runtime/session.js';
export { createSession } from './runtime/session.js';
export { resolveModelSource, resolvePackageRoot, defaultCacheDir, describeModelSource } from './runtime/model-source.js';
export type { ModelSource, ModelSourceOptions } from './runtime/model-source.js';
export { preprocessImages, planResize, normalizationCoefficients, toSourcePoint, toInputPoint, toSourceBox } from './preprocess/preprocess.js';
export type { PreprocessOptions, PreprocessedBatch, ImageTransform, ImageInput, ResizeMode, Normalization } from './preprocess/preprocess.js';
export { addFeatureTaps, createTappedSession, pruneGraph, tensorNames } from './taps/feature-taps.js';
export { closestNames } from './closest-names.js';
export type { FeatureTaps, FeatureTapOptions, TappedSession } from './taps/feature-taps.js';
export { convertLayersModel, importerVersion } from './tfjs-import/convert-layers.js';
export type { ConvertLayersOptions } from './tfjs-import/convert-layers.js';
export { loadNsfwjsModel, loadLayersModelFolder, layersModelFromArtifacts, decodeWeights, nsfwjsLayersModels } from './tfjs-import/layers-artifacts.js';
export type { LayersModelArtifacts, KerasLayer, WeightSpec, NsfwjsModelName } from './tfjs-import/layers-artifacts.js';
export { loadBackbone, importBackbone, backboneDefinitions, backbonePreprocessing } from './backbones/backbones.js';
export type { Backbone, BackboneName, BackboneTap, BackboneFeatures, LoadBackboneOptions } from './backbones/backbones.js';
export { countMultiplyAdds } from './onnx/count-multiply-adds.js';
export type { MultiplyAddCount } from './onnx/count-multiply-adds.js';
