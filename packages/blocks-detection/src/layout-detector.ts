import { ModelLoadError } from '@vad/core';
import { describeModelSource } from '@vad/models';
import type { DecoderName } from './decoders/output-tensor.js';
import { createObjectDetector, type ObjectDetector, type ObjectDetectorOptions } from './object-detector.js';

export interface LayoutDetector {
  readonly detector: ObjectDetector;
  /** A load error of the decoder (a dynamic-shape export is checked on its first run) as "not a <noun> export"; other errors as they are. */
  readonly reword: (error: unknown) => unknown;
}

/**
 * The object detector of an export that must have `decoder`'s layout (a -seg or -pose export): a
 * file of another layout is refused, naming the step and model_id, as "not a <noun> export" with
 * what such a model needs (`needs`).
 */
export async function createLayoutDetector(options: Omit<ObjectDetectorOptions, 'decoder'>, decoder: DecoderName, noun: string, needs: string): Promise<LayoutDetector> {
  const name = describeModelSource(options.model);
  const reword = (error: unknown) =>
    error instanceof ModelLoadError && error.message.includes(decoder)
      ? new ModelLoadError({ message: `${name} is not a ${noun} export (${error.message}); ${needs}`, stepName: options.stepName, property: 'model_id', path: name, cause: error })
      : error;
  try {
    return { detector: await createObjectDetector({ ...options, decoder }), reword };
  } catch (error) {
    throw reword(error);
  }
}
